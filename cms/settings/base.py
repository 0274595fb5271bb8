"""Settings shared by every environment. Anything that differs between machines comes from the environment."""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_float(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, got {value!r}") from exc


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms.core",
    # Admin login brute-force protection (django-axes: the maintained standard for it; lockouts are unlocked in
    # 设置 → 登录锁定).
    "axes",
    "home",
    "cms.departments",
    "cms.disclosure",
    "cms.demo",
    "cms.review",
    "cms.applications",
    "cms.participation",
    "cms.sector",
    "search",
    "syndication",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.core.security.SessionRenewalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two concurrent publishes queue up
    # instead of failing with "database is locked" when a read transaction upgrades to a write. WAL: readers
    # never wait for a writer, so the site, the admin, the Celery worker and the sandbox keep answering while a long
    # write transaction (a reorganization of thousands of pages) runs; commits skip the full sync.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Simplified Chinese first; English comes through wagtail-localize.
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Fills the gaps in Wagtail's own zh_Hans catalogue (see cms/locale/).
LOCALE_PATHS = [PROJECT_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = "宿迁市交通运输局"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "txt", "zip", "csv"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 50 * 1024 * 1024
# The file of a document a live page uses is not replaced in place (cms/review/documents.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.review.documents.DocumentForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_MODERATION_ENABLED = True

# The editorial gate (cms/review). Approvals apply to the revision approved: an edit restarts review, and the
# final approval publishes exactly the revision it approved.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.review.finish.publish_approved"
REVIEW_SLA_WORKING_DAYS = env_int("REVIEW_SLA_WORKING_DAYS", 2)
REVIEW_DISTINCT_APPROVERS = env_bool("REVIEW_DISTINCT_APPROVERS", True)
# Items that must carry a 文号 and 成文日期: every 政策文件, and these 公文 genres anywhere (命令、决定、意见、
# 批复). 公告/通告/通知 are often issued without a 文号 ([U]: local practice), so they are not in the default.
REVIEW_GENRES_REQUIRING_DOCUMENT_NUMBER = env_list(
    "REVIEW_GENRES_REQUIRING_DOCUMENT_NUMBER", ["ml", "jd", "yj", "pf"]
)
# Hostnames whose links count as internal (besides Wagtail Sites), e.g. the production domain.
REVIEW_SITE_HOSTS = env_list("REVIEW_SITE_HOSTS", ["jtj.suqian.gov.cn", "127.0.0.1", "localhost"])
# Official holidays and 调休 workdays for years the chinesecalendar package does not cover yet (cms/core/workdays.py).
PORTAL_EXTRA_HOLIDAYS = env_list("PORTAL_EXTRA_HOLIDAYS", [])
PORTAL_EXTRA_WORKDAYS = env_list("PORTAL_EXTRA_WORKDAYS", [])
WAGTAILADMIN_USER_LOGIN_FORM = "home.admin_forms.LoginForm"

# Disclosure catalogue
# 索引号 pattern ([U] in the domain notes: no national format). Fields: org_code, year, seq.
DISCLOSURE_INDEX_NUMBER_PATTERN = env_str("DISCLOSURE_INDEX_NUMBER_PATTERN", "{org_code}/{year}-{seq:05d}")
DISCLOSURE_PAGE_SIZE = env_int("DISCLOSURE_PAGE_SIZE", 20)

# The units (cms/departments/units.py): the module that answers the layers below departments (cms/core/units.py),
# and the unit that takes what names none (the 局办公室, by its URL name).
PORTAL_UNITS = "cms.departments.units"
PORTAL_DEFAULT_UNIT = env_str("PORTAL_DEFAULT_UNIT", "bgs")
# The request header holding the client address behind the reverse proxy (e.g. HTTP_X_REAL_IP); empty: REMOTE_ADDR.
# Every public form's rate limit counts by it (cms/core/ratelimit.py).
PORTAL_CLIENT_IP_HEADER = env_str("PORTAL_CLIENT_IP_HEADER", env_str("APPLICATIONS_CLIENT_IP_HEADER", ""))
# The addresses (or networks) of the reverse proxies whose PORTAL_CLIENT_IP_HEADER is believed; from anywhere
# else the header is ignored, so a client cannot pick its own address to escape a limit.
PORTAL_TRUSTED_PROXIES = env_list("PORTAL_TRUSTED_PROXIES", ("127.0.0.1", "::1"))

# 依申请公开 (cms/applications). The [U] items of the domain notes are settings.
# The unit of the 信息公开工作机构 (slug): new requests are registered there until staff assign them.
APPLICATIONS_DEFAULT_DEPARTMENT = env_str("APPLICATIONS_DEFAULT_DEPARTMENT", PORTAL_DEFAULT_UNIT)
# Reply attachments live outside MEDIA_ROOT (never served by the web server; handed out after a check).
APPLICATIONS_PRIVATE_ROOT = Path(env_str("APPLICATIONS_PRIVATE_ROOT", str(VAR_DIR / "private")))
APPLICATIONS_LETTER_NUMBER_PATTERN = env_str(
    "APPLICATIONS_LETTER_NUMBER_PATTERN", "宿交依申〔{year}〕{seq}号"
)
# Working days an applicant has to pay a fee notice before the request counts as withdrawn [U: 109号].
APPLICATIONS_FEE_PAYMENT_WORKING_DAYS = env_int("APPLICATIONS_FEE_PAYMENT_WORKING_DAYS", 20)
# The "reasonable deadline" offered by default for a 补正 (Art. 30 leaves it to the agency) [U].
APPLICATIONS_SUPPLEMENT_WORKING_DAYS = env_int("APPLICATIONS_SUPPLEMENT_WORKING_DAYS", 15)
APPLICATIONS_REMINDER_THRESHOLDS = [
    int(n) for n in env_list("APPLICATIONS_REMINDER_THRESHOLDS", ["5", "2", "1"])
]
APPLICATIONS_DESCRIPTION_MAX_LENGTH = env_int("APPLICATIONS_DESCRIPTION_MAX_LENGTH", 2000)
# Abuse protection of the public form and the status lookup (Django's cache: set REDIS_CACHE_URL in production).
APPLICATIONS_SUBMISSIONS_PER_IP_PER_HOUR = env_int("APPLICATIONS_SUBMISSIONS_PER_IP_PER_HOUR", 10)
APPLICATIONS_SUBMISSIONS_PER_APPLICANT_PER_DAY = env_int("APPLICATIONS_SUBMISSIONS_PER_APPLICANT_PER_DAY", 5)
APPLICATIONS_LOOKUPS_PER_IP_PER_HOUR = env_int("APPLICATIONS_LOOKUPS_PER_IP_PER_HOUR", 30)
# Distinct applicants asking for the same information before it is suggested for proactive disclosure (Art. 44).
APPLICATIONS_REPEAT_THRESHOLD = env_int("APPLICATIONS_REPEAT_THRESHOLD", 2)

# 互动交流 and public participation (cms/participation): consultations, messages, interviews, emergencies.
# 征求意见 periods shorter than this need a published reason (国务院令第713号 Art. 15).
PARTICIPATION_CONSULTATION_MIN_DAYS = env_int("PARTICIPATION_CONSULTATION_MIN_DAYS", 30)
# 听证 materials reach the participants this many days before the hearing (Art. 16).
PARTICIPATION_HEARING_NOTICE_DAYS = env_int("PARTICIPATION_HEARING_NOTICE_DAYS", 7)
# Reply deadline of a message in working days, reminders (working days left) and alarms (calendar days open,
# long before the three-month line of 国办秘函〔2019〕19号 互动回应差).
PARTICIPATION_MESSAGE_REPLY_WORKING_DAYS = env_int("PARTICIPATION_MESSAGE_REPLY_WORKING_DAYS", 5)
PARTICIPATION_MESSAGE_REMINDER_THRESHOLDS = [
    int(n) for n in env_list("PARTICIPATION_MESSAGE_REMINDER_THRESHOLDS", ["2", "1"])
]
PARTICIPATION_MESSAGE_ALARM_DAYS = [
    int(n) for n in env_list("PARTICIPATION_MESSAGE_ALARM_DAYS", ["30", "60"])
]
# The unit that routes messages sent to the bureau as a whole (its URL name).
PARTICIPATION_DEFAULT_DEPARTMENT = env_str("PARTICIPATION_DEFAULT_DEPARTMENT", PORTAL_DEFAULT_UNIT)
PARTICIPATION_COMMENT_MAX_LENGTH = env_int("PARTICIPATION_COMMENT_MAX_LENGTH", 2000)
PARTICIPATION_MESSAGE_MAX_LENGTH = env_int("PARTICIPATION_MESSAGE_MAX_LENGTH", 2000)
PARTICIPATION_QUESTION_MAX_LENGTH = env_int("PARTICIPATION_QUESTION_MAX_LENGTH", 500)
PARTICIPATION_SUBMISSIONS_PER_IP_PER_HOUR = env_int("PARTICIPATION_SUBMISSIONS_PER_IP_PER_HOUR", 10)
# 在线访谈 announced at least this many days ahead (a local rule: at least 3 days ahead).
PARTICIPATION_INTERVIEW_NOTICE_DAYS = env_int("PARTICIPATION_INTERVIEW_NOTICE_DAYS", 3)
# Emergencies (国办发〔2016〕61号 and 80号: 5 h / 24 h): first authoritative release and press conference, hours after the occurrence; alerts
# at these minutes before each deadline and once it has passed. 政务舆情 answered within 48 hours.
PARTICIPATION_EMERGENCY_RELEASE_HOURS = env_int("PARTICIPATION_EMERGENCY_RELEASE_HOURS", 5)
PARTICIPATION_EMERGENCY_PRESS_HOURS = env_int("PARTICIPATION_EMERGENCY_PRESS_HOURS", 24)
PARTICIPATION_EMERGENCY_RELEASE_ALERT_MINUTES = [
    int(n) for n in env_list("PARTICIPATION_EMERGENCY_RELEASE_ALERT_MINUTES", ["120", "60", "30"])
]
PARTICIPATION_EMERGENCY_PRESS_ALERT_MINUTES = [
    int(n) for n in env_list("PARTICIPATION_EMERGENCY_PRESS_ALERT_MINUTES", ["360", "120"])
]
PARTICIPATION_CONCERN_RESPONSE_HOURS = env_int("PARTICIPATION_CONCERN_RESPONSE_HOURS", 48)
# 行业领域公开 (cms/sector): 双公示 deadline of 行政许可/行政处罚 decisions (国办发〔2018〕118号), 预决算 deadline after the
# 财政部门's 批复 (预算法第十四条), and the abuse limits of the public 执法进度查询.
SECTOR_DECISION_PUBLICATION_WORKING_DAYS = env_int("SECTOR_DECISION_PUBLICATION_WORKING_DAYS", 7)
SECTOR_BUDGET_PUBLICATION_DAYS = env_int("SECTOR_BUDGET_PUBLICATION_DAYS", 20)
SECTOR_CASE_CODE_LENGTH = env_int("SECTOR_CASE_CODE_LENGTH", 8)
SECTOR_CASE_LOOKUPS_PER_IP_PER_HOUR = env_int("SECTOR_CASE_LOOKUPS_PER_IP_PER_HOUR", 20)
# Failed lookups of one case number from one address: the wait doubles from DELAY_SECONDS after each, and the
# pair is locked for an hour at the limit (other addresses, the party's own, are not affected).
SECTOR_CASE_LOOKUP_FAILURES_PER_CASE_PER_HOUR = env_int("SECTOR_CASE_LOOKUP_FAILURES_PER_CASE_PER_HOUR", 5)
SECTOR_CASE_LOOKUP_DELAY_SECONDS = env_int("SECTOR_CASE_LOOKUP_DELAY_SECONDS", 2)

# Site search (search/): Chinese full-text search on SQLite FTS5 or PostgreSQL, through Wagtail's search API.
# Index updates go through Celery after commit (SEARCH_ASYNC_INDEXING=false indexes inside the request).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "search.backend",
        "ASYNC_UPDATES": env_bool("SEARCH_ASYNC_INDEXING", True),
        "MAX_TEXT_CHARS": env_int("SEARCH_MAX_TEXT_CHARS", 100_000),
    }
}

# Celery: an embedded broker by default (no server needed) — kombu's SQLAlchemy transport on a SQLite file of its
# own, which takes SQLite's write lock to hand each message to exactly one consumer (the filesystem transport
# can hand a half-written message to a worker and crash it). Redis in production.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}")
if CELERY_BROKER_URL.startswith("sqla+"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {}  # handed to SQLAlchemy's create_engine by this transport
else:
    # Redis redelivers a message that is not acked within this time: retry countdowns and ETAs stay well below it
    # (see SYNDICATION_MAX_COUNTDOWN and the syndication system check).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
# How long an idle worker waits before asking the embedded broker again (see cms/celery.py).
CELERY_BROKER_POLLING_INTERVAL = env_float("CELERY_BROKER_POLLING_INTERVAL", 0.2)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Slow external services get their own queue; a plain worker consumes both, production may run one per queue.
# Jobs of urgent pages (emergency releases) have a queue of their own, listed first: a worker reads its queues in
# turn, so an urgent post waits for at most one message of each other queue, never for a backlog; production may
# also give it a worker of its own (`celery -A cms worker -Q syndication_urgent`).
SYNDICATION_URGENT_QUEUE = "syndication_urgent"
CELERY_TASK_QUEUES = (Queue(SYNDICATION_URGENT_QUEUE), Queue("celery"), Queue("syndication"))
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {"syndication.*": {"queue": "syndication"}}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {
        "task": "disclosure.publish_scheduled_pages",
        "schedule": crontab(minute="*"),
    },
    "syndication-dispatch-due": {
        "task": "syndication.dispatch_due",
        "schedule": datetime.timedelta(seconds=env_int("SYNDICATION_DISPATCH_SECONDS", 30)),
    },
    "syndication-check-accounts": {
        "task": "syndication.check_accounts",
        "schedule": crontab(minute=7),
    },
    # 依申请公开: deadlines missed by applicants, then reminders at 5/2/1 working days and overdue.
    "applications-clock": {
        "task": "applications.run_clock",
        "schedule": crontab(minute=15, hour="7-18"),
    },
    # 互动交流: message reminders and alarms; emergency release deadlines (every five minutes).
    "participation-message-clock": {
        "task": "participation.run_message_clock",
        "schedule": crontab(minute=25, hour="7-18"),
    },
    "participation-incident-clock": {
        "task": "participation.run_incident_clock",
        "schedule": crontab(minute="*/5"),
    },
    # Site search: the words behind suggestions, pinyin input and 您是不是要找, from published content.
    "search-rebuild-vocabulary": {
        "task": "search.rebuild_vocabulary",
        "schedule": crontab(hour=3, minute=15),
    },
}

# New-media syndication (syndication/). Base URLs are settings so a deployment can point at a proxy, and the demo
# and the tests at the in-project sandbox. Secrets come from the environment only: SYNDICATION_SECRET_<NAME>
# holds the AppSecret of the account whose 密钥名称 is NAME (and SYNDICATION_SECRET_<NAME>_TOKEN its WeChat
# server Token); they are never stored in the database or written to a log.
SYNDICATION_WECHAT_API_BASE = env_str("SYNDICATION_WECHAT_API_BASE", "https://api.weixin.qq.com")
SYNDICATION_WEIBO_API_BASE = env_str("SYNDICATION_WEIBO_API_BASE", "https://api.weibo.com")
SYNDICATION_WEIBO_WEB_BASE = env_str("SYNDICATION_WEIBO_WEB_BASE", "https://weibo.com")
# The canonical public address of the site: Weibo posts must link to the app's safe domain.
SYNDICATION_PUBLIC_BASE_URL = env_str("SYNDICATION_PUBLIC_BASE_URL", WAGTAILADMIN_BASE_URL)
SYNDICATION_SECRETS = {
    name.removeprefix("SYNDICATION_SECRET_"): value
    for name, value in os.environ.items()
    if name.startswith("SYNDICATION_SECRET_") and value
}
SYNDICATION_BACKENDS = {
    "wechat": "syndication.backends.wechat.WeChatBackend",
    "weibo": "syndication.backends.weibo.WeiboBackend",
}
SYNDICATION_HTTP_TIMEOUT = (
    env_float("SYNDICATION_CONNECT_TIMEOUT", 5.0),
    env_float("SYNDICATION_READ_TIMEOUT", 20.0),
)
SYNDICATION_RETRY_BASE_SECONDS = env_float("SYNDICATION_RETRY_BASE_SECONDS", 5.0)
SYNDICATION_RETRY_MAX_SECONDS = env_float("SYNDICATION_RETRY_MAX_SECONDS", 300.0)
SYNDICATION_MAX_ATTEMPTS = env_int("SYNDICATION_MAX_ATTEMPTS", 8)
# Waits up to this long are Celery countdowns; longer ones wait in the database for the dispatcher.
SYNDICATION_MAX_COUNTDOWN = env_int("SYNDICATION_MAX_COUNTDOWN", 600)
# How long a worker holds a job it claimed (above the run_job task's time limit of 180 s).
SYNDICATION_LEASE_SECONDS = env_int("SYNDICATION_LEASE_SECONDS", 240)
SYNDICATION_DISPATCH_GRACE_SECONDS = env_int("SYNDICATION_DISPATCH_GRACE_SECONDS", 15)
SYNDICATION_POLL_SECONDS = [2, 3, 5, 10, 20, 30, 60]  # freepublish/get after a submit
SYNDICATION_RECONCILE_SECONDS = env_float("SYNDICATION_RECONCILE_SECONDS", 15.0)
SYNDICATION_RECONCILE_MAX_ATTEMPTS = env_int("SYNDICATION_RECONCILE_MAX_ATTEMPTS", 40)
# A share whose answer was lost is posted again only if it has not appeared in the timeline by then (20032: 1–2 min).
SYNDICATION_WEIBO_RECONCILE_WINDOW = env_float("SYNDICATION_WEIBO_RECONCILE_WINDOW", 180.0)
SYNDICATION_STUCK_MINUTES = env_int("SYNDICATION_STUCK_MINUTES", 30)
# Quota windows: "minute" 60 s, "hour" 3600 s, "midnight" the next Beijing midnight; override per window here.
SYNDICATION_QUOTA_WAIT = {}
# The window of Weibo's per-account posting limit (Account.posts_per_hour, 30 by default) [U: "30/hour"]; bench/
# shortens it to measure the pacing in minutes rather than hours.
SYNDICATION_WEIBO_RATE_WINDOW_SECONDS = env_int("SYNDICATION_WEIBO_RATE_WINDOW_SECONDS", 3600)
# share.json's rip (the publishing user's real IP) [U]: the address the bureau's servers post from.
SYNDICATION_WEIBO_RIP = env_str("SYNDICATION_WEIBO_RIP", "127.0.0.1")
# How Weibo counts [U]: ASCII characters weigh 0.5; with a URL length set, each link counts as that many.
SYNDICATION_WEIBO_ASCII_WEIGHT = env_float("SYNDICATION_WEIBO_ASCII_WEIGHT", 0.5)
SYNDICATION_WEIBO_URL_LENGTH = env_int("SYNDICATION_WEIBO_URL_LENGTH", 0) or None
# Hosts a link in a WeChat article may point to [U]; other links keep their text (阅读原文 leads to the page).
SYNDICATION_WECHAT_LINK_HOSTS = env_list("SYNDICATION_WECHAT_LINK_HOSTS", ["mp.weixin.qq.com"])
SYNDICATION_SANDBOX_PORT = env_int("SYNDICATION_SANDBOX_PORT", 8001)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Wagtail 8 runs search-index and reference-index updates as django-tasks; one INFO line per task.
        "django_tasks": {"level": "WARNING"},
        # urllib3 logs request URLs at DEBUG, and WeChat puts access_token in the query string.
        "urllib3": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Admin sessions end after a working day without activity: use renews the eight hours, at most every ten minutes
# (cms/core/security.py).
SESSION_COOKIE_AGE = env_int("PORTAL_SESSION_SECONDS", 8 * 3600)
PORTAL_SESSION_RENEW_SECONDS = 600

# Login lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name, or from one address,
# further attempts are refused (429, in Chinese) for the cool-off time; a success resets the count. Addresses
# come from the same trusted-proxy rule as the rate limits.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("PORTAL_LOGIN_LOCKOUT_MINUTES", 60))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.core.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# The admin's Content-Security-Policy is report-only (Wagtail's pages carry scripts the project does not write);
# on: enforced there too (cms/core/security.py).
PORTAL_ADMIN_CSP_ENFORCE = env_bool("PORTAL_ADMIN_CSP_ENFORCE", False)
