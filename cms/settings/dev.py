"""Local development: DEBUG on, a secret generated once and kept under var/ (never committed)."""

import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool, env_str

DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = ["*"]


def _dev_secret_key():
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _dev_secret_key()
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# New media: the demo pushes to the in-project sandbox (started by `dev.py run` on SYNDICATION_SANDBOX_PORT), never
# to WeChat or Weibo. The demo accounts' secrets are generated once into var/ (never committed); the sandbox
# reads the same values when it registers the accounts.
_SANDBOX = f"http://127.0.0.1:{SYNDICATION_SANDBOX_PORT}"  # noqa: F405
SYNDICATION_WECHAT_API_BASE = env_str("SYNDICATION_WECHAT_API_BASE", _SANDBOX)
SYNDICATION_WEIBO_API_BASE = env_str("SYNDICATION_WEIBO_API_BASE", _SANDBOX)
SYNDICATION_WEIBO_WEB_BASE = env_str("SYNDICATION_WEIBO_WEB_BASE", _SANDBOX + "/weibo")
DEMO_SYNDICATION_SECRET_NAMES = (
    "SQJT_WECHAT",
    "SQJT_WECHAT_TOKEN",
    "ZFZD_WECHAT",
    "ZFZD_WECHAT_TOKEN",
    "SQJT_WEIBO",
)


def _demo_syndication_secrets():
    import json

    path = VAR_DIR / "syndication-secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in DEMO_SYNDICATION_SECRET_NAMES if name not in stored]
    if missing:
        stored.update({name: secrets.token_urlsafe(24) for name in missing})
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return stored


SYNDICATION_SECRETS = {**_demo_syndication_secrets(), **SYNDICATION_SECRETS}  # noqa: F405
