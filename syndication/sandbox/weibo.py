"""The Sina Weibo open API as the sandbox serves it (newmedia-apis.md §2 and §3): OAuth2, share.json, timeline."""

import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from ..adapt import weibo_length

BEIJING = timezone(timedelta(hours=8))
URL = re.compile(r"https?://[^\s]+", re.I)
TOPIC = re.compile(r"#[^#\s]+#")
_NOT_WORDS = re.compile(r"[\W_]+", re.U)


class WeiboError(Exception):
    def __init__(self, code, message, status=400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass
class WeiboApp:
    app_key: str
    secret: str
    name: str = "宿迁交通政务发布"
    safe_domains: list = field(default_factory=list)


@dataclass
class WeiboUser:
    uid: str
    screen_name: str


class WeiboState:
    def __init__(self, base_url_getter, posts_per_hour=30, token_ttl=157679999, require_rip=True):
        self.lock = threading.RLock()
        self.base_url = base_url_getter
        self.posts_per_hour = posts_per_hour
        self.token_ttl = token_ttl
        self.require_rip = require_rip
        self.auto_approve = False
        self.apps = {}
        self.users = {}
        self.tokens = {}  # token -> {"uid", "app_key", "expires_at", "revoked", "created_at"}
        self.codes = {}  # code -> {"app_key", "uid", "redirect_uri", "used"}
        self.statuses = []  # every post, oldest first
        self.pictures = {}  # picture id -> (bytes, content type)
        self._ids = iter(range(4400000000000000, 10**17, 7919))

    def register_app(self, app_key, secret, safe_domains=(), name=None):
        with self.lock:
            app = self.apps.get(app_key) or WeiboApp(app_key=app_key, secret=secret)
            app.secret, app.safe_domains = secret, [d.lower() for d in safe_domains]
            if name:
                app.name = name
            self.apps[app_key] = app
            return app

    def user(self, uid, screen_name="宿迁交通"):
        with self.lock:
            return self.users.setdefault(str(uid), WeiboUser(uid=str(uid), screen_name=screen_name))

    def grant_token(self, app_key, uid, token=None, expires_in=None, now=None):
        """Register a token directly (the demo's pre-authorised account, tests)."""
        now = now or time.time()
        token = token or secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = {
                "uid": str(uid),
                "app_key": app_key,
                "expires_at": now + (self.token_ttl if expires_in is None else expires_in),
                "revoked": False,
                "created_at": int(now),
            }
        return token

    # OAuth2 ---------------------------------------------------------------------------------------------

    def authorize(self, params, uid):
        app = self.apps.get(params.get("client_id", ""))
        if app is None:
            raise WeiboError(21324, "invalid_client")
        if params.get("response_type", "code") != "code":
            raise WeiboError(21329, "unsupported_response_type")
        code = secrets.token_hex(16)
        with self.lock:
            self.codes[code] = {
                "app_key": app.app_key,
                "uid": str(uid),
                "redirect_uri": params.get("redirect_uri", ""),
                "used": False,
            }
        return code

    def access_token(self, form, now):
        app = self.apps.get(form.get("client_id", ""))
        if app is None or form.get("client_secret") != app.secret:
            raise WeiboError(21324, "invalid_client")
        if form.get("grant_type") != "authorization_code":
            raise WeiboError(21328, "unsupported_grant_type")
        with self.lock:
            grant = self.codes.get(form.get("code", ""))
            if grant is None or grant["used"] or grant["app_key"] != app.app_key:
                raise WeiboError(21325, "invalid_grant")
            if grant["redirect_uri"] != form.get("redirect_uri", ""):
                raise WeiboError(21322, "redirect_uri_mismatch")
            grant["used"] = True
            token = self.grant_token(app.app_key, grant["uid"], now=now)
        return {
            "access_token": token,
            "expires_in": self.token_ttl,
            "remind_in": str(self.token_ttl),
            "uid": grant["uid"],
            "isRealName": "true",
        }

    def token_info(self, token, now):
        grant = self._grant(token, now)
        return {
            "uid": grant["uid"],
            "appkey": grant["app_key"],
            "scope": "",
            "create_at": grant["created_at"],
            "expire_in": int(grant["expires_at"] - now),
        }

    def _grant(self, token, now):
        if not token:
            raise WeiboError(21301, "auth faild!", status=403)
        grant = self.tokens.get(token)
        if grant is None:
            raise WeiboError(21332, "invalid_access_token", status=403)
        if grant["revoked"]:
            raise WeiboError(21317, "token rejected", status=403)
        if grant["expires_at"] <= now:
            raise WeiboError(21327, "expired_token", status=403)
        return grant

    def expire(self, token):
        with self.lock:
            if token in self.tokens:
                self.tokens[token]["expires_at"] = 0

    def revoke(self, token):
        with self.lock:
            if token in self.tokens:
                self.tokens[token]["revoked"] = True

    # Posting --------------------------------------------------------------------------------------------

    def share(self, token, form, upload, fault, now):
        grant = self._grant(token, now)
        app = self.apps[grant["app_key"]]
        text = form.get("status", "")
        if not text.strip():
            raise WeiboError(20008, "content is null!")
        if self.require_rip and not form.get("rip"):
            raise WeiboError(10016, "miss required parameter (rip), see doc for more info.")
        if weibo_length(text) > 140:
            raise WeiboError(20012, "Text too long, please input text less than 140 characters!")
        if TOPIC.search(text):
            raise WeiboError(10008, "param error, see doc for more info.")
        if not app.safe_domains:
            raise WeiboError(10017, "appkey not bind domain!")
        hosts = [(urlsplit(m.group(0)).hostname or "").lower() for m in URL.finditer(text)]
        if not any(h == d or h.endswith("." + d) for h in hosts for d in app.safe_domains):
            raise WeiboError(10017, "text not find domain!")
        if upload is not None:
            data = upload["data"]
            if len(data) >= 5 * 1024 * 1024:
                raise WeiboError(20006, "image size too large.")
            if not (data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:4] == b"GIF8"):
                raise WeiboError(20007, "does multipart has image?")
        with self.lock:
            mine = [s for s in self.statuses if s["uid"] == grant["uid"]]
            if sum(1 for s in mine if s["created"] > now - 3600) >= self.posts_per_hour:
                raise WeiboError(20016, "out of limit!")
            recent = mine[-20:]
            if any(s["text"] == text for s in recent):
                raise WeiboError(20019, "repeat content!")
            squeezed = _NOT_WORDS.sub("", text)
            if any(_NOT_WORDS.sub("", s["text"]) == squeezed for s in recent):
                raise WeiboError(20017, "similar content!")
            status_id = next(self._ids)
            picture = None
            if upload is not None:
                picture = secrets.token_hex(8)
                self.pictures[picture] = (upload["data"], upload.get("content_type") or "image/jpeg")
            slow = fault is not None and fault.kind == "slow_success"
            status = {
                "id": status_id,
                "uid": grant["uid"],
                "text": text,
                "created": now,
                "visible_at": now + ((fault.delay or 1.0) if slow else 0),
                "picture": picture,
                "app": app.name,
            }
            self.statuses.append(status)
        if slow:
            raise WeiboError(20032, "Update success, while server slow now, please wait 1-2 minutes")
        return self.status_json(status)

    def timeline(self, token, params, now):
        grant = self._grant(token, now)
        uid = params.get("uid") or grant["uid"]
        if str(uid) != grant["uid"]:
            raise WeiboError(10006, "source paramter(appkey) is missing")  # only one's own posts
        try:
            count = max(1, min(int(params.get("count", 20)), 100))
            page = max(1, int(params.get("page", 1)))
        except ValueError as exc:
            raise WeiboError(10008, "param error, see doc for more info.") from exc
        mine = [s for s in self.statuses if s["uid"] == grant["uid"] and s["visible_at"] <= now]
        mine.reverse()
        return {
            "statuses": [self.status_json(s) for s in mine[(page - 1) * count : page * count]],
            "total_number": len(mine),
            "previous_cursor": 0,
            "next_cursor": 0,
            "hasvisible": False,
        }

    def rate_limit(self, token, now):
        grant = self._grant(token, now)
        used = sum(1 for s in self.statuses if s["uid"] == grant["uid"] and s["created"] > now - 3600)
        reset = 3600 - int(now % 3600)
        return {
            "ip_limit": 15000,
            "limit_time_unit": "HOURS",
            "remaining_ip_hits": 15000,
            "remaining_user_hits": max(0, self.posts_per_hour - used),
            "reset_time": datetime.fromtimestamp(now + reset, BEIJING).strftime("%Y-%m-%d %H:%M:%S"),
            "reset_time_in_seconds": reset,
            "user_limit": self.posts_per_hour,
        }

    def status_json(self, status):
        user = self.users.get(status["uid"]) or WeiboUser(status["uid"], "用户" + status["uid"][-4:])
        picture = f"{self.base_url()}/weibo-pic/{status['picture']}" if status["picture"] else None
        created = datetime.fromtimestamp(status["created"], BEIJING).strftime("%a %b %d %H:%M:%S +0800 %Y")
        body = {
            "created_at": created,
            "id": status["id"],
            "idstr": str(status["id"]),
            "mid": str(status["id"]),
            "text": status["text"],
            "source": f'<a href="{self.base_url()}" rel="nofollow">{status["app"]}</a>',
            "favorited": False,
            "truncated": False,
            "geo": None,
            "user": {"id": int(user.uid), "idstr": user.uid, "screen_name": user.screen_name},
            "reposts_count": 0,
            "comments_count": 0,
            "attitudes_count": 0,
            "visible": {"type": 0, "list_id": 0},
        }
        if picture:
            body.update(thumbnail_pic=picture, bmiddle_pic=picture, original_pic=picture)
        return body

    def find(self, uid, idstr):
        for status in self.statuses:
            if status["uid"] == str(uid) and str(status["id"]) == str(idstr):
                return status
        return None
