"""The WeChat Official Account API as the sandbox serves it (newmedia-apis.md §1 and §3).

Same paths, same JSON, same error codes as ``api.weixin.qq.com``; state lives in memory (and optionally a file).
"""

import hashlib
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field

TOKEN_TTL = 7200
OLD_TOKEN_GRACE = 300  # a /cgi-bin/token refresh leaves the previous token valid for about 5 minutes
IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']*)["'][^>]*>""", re.I)
SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.I | re.S)
UNICODE_ESCAPE = re.compile(rb"\\u[0-9a-fA-F]{4}")


class WeChatError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def _rid():
    return f" rid: {secrets.token_hex(4)}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"


def error_body(code, message):
    return {"errcode": code, "errmsg": message + _rid()}


@dataclass
class App:
    appid: str
    secret: str
    name: str = "宿迁交通"
    original_id: str = ""
    callback_url: str = ""
    callback_token: str = ""
    mass_quota_per_day: int = 1
    tokens: dict = field(default_factory=dict)  # token -> expires_at
    stable_token: str = ""
    force_refreshes: list = field(default_factory=list)
    mass_sends: dict = field(default_factory=dict)  # clientmsgid -> (msg_id, sent_at)

    def __post_init__(self):
        self.original_id = self.original_id or "gh_" + hashlib.sha1(self.appid.encode()).hexdigest()[:12]


class WeChatState:
    """Tokens, media, drafts, publish jobs and published articles of every registered app."""

    def __init__(self, base_url_getter, token_ttl=TOKEN_TTL, publish_seconds=0.5, strict_unicode=True):
        self.lock = threading.RLock()
        self.base_url = base_url_getter
        self.token_ttl = token_ttl
        self.publish_seconds = publish_seconds
        self.strict_unicode = strict_unicode
        self.apps = {}
        self.images = {}  # image id -> (bytes, content type)
        self.materials = {}  # media_id -> {"appid", "type", "image"}
        self.drafts = {}  # media_id -> {"appid", "articles", "update_time"}
        self.jobs = {}  # publish_id -> {...}
        self.articles = {}  # article_id -> {...}
        self.mass_messages = {}  # msg_id -> {...}
        self.filtered_images = []  # <img> sources WeChat would have dropped (not from uploadimg)
        self._ids = iter(range(2247500000, 10**12))

    def _next_id(self):
        return next(self._ids)

    def register(self, appid, secret, **options):
        with self.lock:
            app = self.apps.get(appid)
            if app is None:
                app = self.apps[appid] = App(appid=appid, secret=secret, **options)
            else:
                app.secret = secret
                for key, value in options.items():
                    setattr(app, key, value)
            return app

    # Tokens ---------------------------------------------------------------------------------------------

    def _issue(self, app, now):
        token = secrets.token_urlsafe(48)
        app.tokens[token] = now + self.token_ttl
        return token

    def stable_token(self, body, now):
        if body.get("grant_type") != "client_credential":
            raise WeChatError(40002, "invalid grant_type")
        appid = body.get("appid")
        if not appid:
            raise WeChatError(41002, "appid missing")
        app = self.apps.get(appid)
        if app is None:
            raise WeChatError(40013, "invalid appid")
        if not body.get("secret"):
            raise WeChatError(41004, "appsecret missing")
        if body.get("secret") != app.secret:
            raise WeChatError(40125, "invalid appsecret")
        with self.lock:
            current = app.stable_token
            if body.get("force_refresh"):
                app.force_refreshes = [t for t in app.force_refreshes if t > now - 86400]
                if len(app.force_refreshes) >= 20 or (
                    app.force_refreshes and now - app.force_refreshes[-1] < 30
                ):
                    raise WeChatError(45009, "reach max api daily quota limit")
                app.force_refreshes.append(now)
                app.tokens.pop(current, None)
                current = ""
            if not current or app.tokens.get(current, 0) <= now:
                app.tokens.pop(current, None)
                current = app.stable_token = self._issue(app, now)
            return {"access_token": current, "expires_in": max(1, int(app.tokens[current] - now))}

    def plain_token(self, params, now):
        """GET /cgi-bin/token: a new token each time; the previous one stays valid for five minutes."""
        app = self.apps.get(params.get("appid", ""))
        if app is None:
            raise WeChatError(40013, "invalid appid")
        if params.get("secret") != app.secret:
            raise WeChatError(40125, "invalid appsecret")
        with self.lock:
            for token, expires in list(app.tokens.items()):
                if token != app.stable_token:
                    app.tokens[token] = min(expires, now + OLD_TOKEN_GRACE)
            token = self._issue(app, now)
        return {"access_token": token, "expires_in": self.token_ttl}

    def app_for(self, token, now):
        if not token:
            raise WeChatError(41001, "access_token missing")
        for app in self.apps.values():
            if token in app.tokens:
                if app.tokens[token] <= now:
                    raise WeChatError(42001, "access_token expired")
                return app
        raise WeChatError(40001, "invalid credential, access_token is invalid or not latest")

    def expire_tokens(self, token, now):
        """Fault: the caller's token (and its app's stable token) expire now."""
        with self.lock:
            for app in self.apps.values():
                if token in app.tokens:
                    app.tokens[token] = now - 1

    # Media ----------------------------------------------------------------------------------------------

    def _store_image(self, data, content_type):
        image_id = secrets.token_hex(8)
        self.images[image_id] = (data, content_type)
        return image_id, f"{self.base_url()}/mmbiz/{image_id}"

    def upload_image(self, app, upload):
        if upload is None:
            raise WeChatError(41005, "media data missing")
        data = upload["data"]
        kind = _image_kind(data)
        if kind not in ("jpeg", "png"):
            raise WeChatError(40005, "invalid file type")
        if len(data) >= 1024 * 1024:
            raise WeChatError(40009, "invalid image size")
        with self.lock:
            _id, url = self._store_image(data, f"image/{kind}")
        return {"url": url, "errcode": 0, "errmsg": "ok"}

    def add_material(self, app, kind, upload):
        if upload is None:
            raise WeChatError(41005, "media data missing")
        data = upload["data"]
        image = _image_kind(data)
        if kind == "image":
            if image not in ("jpeg", "png", "gif", "bmp"):
                raise WeChatError(40005, "invalid file type")
            if len(data) > 10 * 1024 * 1024:
                raise WeChatError(40009, "invalid image size")
        elif kind == "thumb":
            if image != "jpeg":
                raise WeChatError(40005, "invalid file type")
            if len(data) > 64 * 1024:
                raise WeChatError(40009, "invalid image size")
        else:
            raise WeChatError(40004, "invalid media type")
        with self.lock:
            image_id, url = self._store_image(data, f"image/{image}")
            media_id = secrets.token_urlsafe(32)
            self.materials[media_id] = {"appid": app.appid, "type": kind, "image": image_id}
        return {"media_id": media_id, "url": url}

    # Drafts ---------------------------------------------------------------------------------------------

    def _check_article(self, app, article, single):
        title = article.get("title") or ""
        if not title:
            raise WeChatError(44003, "empty news data")
        if len(title) > 32:
            raise WeChatError(45003, "title size out of limit")
        if len(article.get("author") or "") > 16:
            raise WeChatError(45110, "author size out of limit")
        digest = article.get("digest") or ""
        if digest and (len(digest) > 128 or not single):
            raise WeChatError(45004, "description size out of limit")
        content = article.get("content") or ""
        if not content:
            raise WeChatError(44004, "empty content")
        if len(content) >= 20000 or len(content.encode("utf-8")) >= 1024 * 1024:
            raise WeChatError(45002, "content size out of limit")
        if len((article.get("content_source_url") or "").encode()) > 1024:
            raise WeChatError(41039, "invalid content_source_url")
        thumb = article.get("thumb_media_id")
        material = self.materials.get(thumb or "")
        if (article.get("article_type") or "news") == "news" and (
            not material or material["appid"] != app.appid or material["type"] not in ("image", "thumb")
        ):
            raise WeChatError(40007, "invalid media_id")

    def _filter_content(self, content):
        """What WeChat does to the HTML it receives: scripts go, foreign images go."""
        content = SCRIPT.sub("", content)
        own = f"{self.base_url()}/mmbiz/"

        def keep_own(match):
            if match.group(1).startswith(own):
                return match.group(0)
            self.filtered_images.append(match.group(1))
            return ""

        return IMG_SRC.sub(keep_own, content)

    def add_draft(self, app, body, raw):
        if self.strict_unicode and UNICODE_ESCAPE.search(raw):
            raise WeChatError(
                47001, "data format error: use UTF-8, not \\uXXXX escapes (sandbox strict mode)"
            )
        articles = body.get("articles")
        if not isinstance(articles, list) or not articles:
            raise WeChatError(44002, "empty post data")
        if len(articles) > 8:
            raise WeChatError(45008, "article size out of limit")
        for article in articles:
            self._check_article(app, article, single=len(articles) == 1)
        with self.lock:
            media_id = secrets.token_urlsafe(32)
            stored = [dict(a, content=self._filter_content(a.get("content", ""))) for a in articles]
            self.drafts[media_id] = {"appid": app.appid, "articles": stored, "update_time": int(time.time())}
        return {"media_id": media_id}

    def _own_draft(self, app, media_id):
        draft = self.drafts.get(media_id or "")
        if draft is None or draft["appid"] != app.appid:
            raise WeChatError(40007, "invalid media_id")
        return draft

    def get_draft(self, app, body):
        draft = self._own_draft(app, body.get("media_id"))
        return {
            "news_item": [
                dict(a, url=f"{self.base_url()}/draft/{body['media_id']}") for a in draft["articles"]
            ]
        }

    def delete_draft(self, app, body):
        with self.lock:
            self._own_draft(app, body.get("media_id"))
            del self.drafts[body["media_id"]]
        return {"errcode": 0, "errmsg": "ok"}

    def batchget_drafts(self, app, body):
        drafts = [(mid, d) for mid, d in self.drafts.items() if d["appid"] == app.appid]
        return _batch(
            drafts,
            body,
            "media_id",
            lambda mid, draft, no_content: [_strip_content(a, no_content) for a in draft["articles"]],
        )

    def draft_count(self, app):
        return {"total_count": sum(1 for d in self.drafts.values() if d["appid"] == app.appid)}

    # Publishing -----------------------------------------------------------------------------------------

    def submit(self, app, body, fault, now):
        with self.lock:
            draft = self._own_draft(app, body.get("media_id"))
            del self.drafts[body["media_id"]]  # a submitted draft leaves the draft box
            publish_id = str(self._next_id())
            final = fault.code if fault is not None and fault.kind == "review_fail" else 0
            self.jobs[publish_id] = {
                "appid": app.appid,
                "articles": draft["articles"],
                "status": 1,
                "final_status": final,
                "due_at": now + self.publish_seconds,
                "article_id": None,
                "pushed": False,
            }
        return {"errcode": 0, "errmsg": "ok", "publish_id": publish_id, "msg_data_id": str(self._next_id())}

    def tick(self, now):
        """Finish publish jobs whose time has come; returns the jobs that finished (for the push)."""
        finished = []
        with self.lock:
            for publish_id, job in self.jobs.items():
                if job["status"] != 1 or job["due_at"] > now:
                    continue
                job["status"] = job["final_status"]
                if job["status"] == 0:
                    article_id = secrets.token_urlsafe(32)
                    job["article_id"] = article_id
                    self.articles[article_id] = {
                        "appid": job["appid"],
                        "publish_id": publish_id,
                        "articles": job["articles"],
                        "update_time": int(now),
                        "deleted": False,
                    }
                finished.append((publish_id, job))
        return finished

    def article_url(self, article_id, idx=1):
        return f"{self.base_url()}/s/{article_id}" + (f"?idx={idx}" if idx > 1 else "")

    def get_publish(self, app, body, now):
        self.tick(now)
        job = self.jobs.get(str(body.get("publish_id", "")))
        if job is None or job["appid"] != app.appid:
            raise WeChatError(40002, "invalid argument: publish_id")
        result = {"publish_id": str(body["publish_id"]), "publish_status": job["status"]}
        if job["status"] == 0 or job["status"] in (5, 6):
            article_id = job["article_id"]
            result["article_id"] = article_id
            result["article_detail"] = {
                "count": len(job["articles"]),
                "item": [
                    {"idx": n, "article_url": self.article_url(article_id, n)}
                    for n in range(1, len(job["articles"]) + 1)
                ],
            }
            result["fail_idx"] = []
        elif job["status"] in (2, 4):
            result["fail_idx"] = list(range(1, len(job["articles"]) + 1))
        else:
            result["fail_idx"] = []
        return result

    def batchget_published(self, app, body, now):
        self.tick(now)
        articles = [
            (aid, a) for aid, a in self.articles.items() if a["appid"] == app.appid and not a["deleted"]
        ]
        return _batch(
            articles,
            body,
            "article_id",
            lambda aid, article, no_content: [
                dict(_strip_content(item, no_content), url=self.article_url(aid, n), is_deleted=False)
                for n, item in enumerate(article["articles"], start=1)
            ],
        )

    def get_article(self, app, body):
        article = self.articles.get(body.get("article_id") or "")
        if article is None or article["appid"] != app.appid:
            raise WeChatError(53600, "invalid article_id")
        return {
            "news_item": [
                dict(item, url=self.article_url(body["article_id"], n), is_deleted=article["deleted"])
                for n, item in enumerate(article["articles"], start=1)
            ]
        }

    def delete_published(self, app, body):
        with self.lock:
            article = self.articles.get(body.get("article_id") or "")
            if article is None or article["appid"] != app.appid or article["deleted"]:
                raise WeChatError(53600, "invalid article_id")
            article["deleted"] = True
            job = self.jobs.get(article["publish_id"])
            if job is not None:
                job["status"] = 5
        return {"errcode": 0, "errmsg": "ok"}

    # Mass send ------------------------------------------------------------------------------------------

    def mass_send(self, app, body, now):
        clientmsgid = body.get("clientmsgid") or ""
        if len(clientmsgid.encode("utf-8")) > 64:
            raise WeChatError(45067, "clientmsgid size out of limit")
        with self.lock:
            app.mass_sends = {k: v for k, v in app.mass_sends.items() if v[1] > now - 86400}
            if clientmsgid and clientmsgid in app.mass_sends:
                error = WeChatError(45065, "clientmsgid exist")
                error.extra = {"msg_id": app.mass_sends[clientmsgid][0]}
                raise error
            sent_today = sum(1 for _msg, at in app.mass_sends.values() if at > now - 86400)
            if sent_today >= app.mass_quota_per_day:
                raise WeChatError(45028, "has no masssend quota")
            draft = self._own_draft(app, (body.get("mpnews") or {}).get("media_id"))
            del self.drafts[body["mpnews"]["media_id"]]
            msg_id = self._next_id()
            article_id = secrets.token_urlsafe(32)
            self.articles[article_id] = {
                "appid": app.appid,
                "publish_id": None,
                "articles": draft["articles"],
                "update_time": int(now),
                "deleted": False,
                "mass_msg_id": msg_id,
            }
            self.mass_messages[msg_id] = {
                "appid": app.appid,
                "article_id": article_id,
                "clientmsgid": clientmsgid,
            }
            app.mass_sends[clientmsgid or f"auto-{msg_id}"] = (msg_id, now)
        return {
            "errcode": 0,
            "errmsg": "send job submission success",
            "msg_id": msg_id,
            "msg_data_id": self._next_id(),
        }

    # Push -----------------------------------------------------------------------------------------------

    def push_body(self, app, publish_id, job, now):
        """The PUBLISHJOBFINISH event as XML, with the query string that signs it."""
        if job["status"] == 0:
            items = "".join(
                f"<item><idx>{n}</idx><article_url><![CDATA[{self.article_url(job['article_id'], n)}]]></article_url></item>"
                for n in range(1, len(job["articles"]) + 1)
            )
            detail = (
                f"<article_id><![CDATA[{job['article_id']}]]></article_id>"
                f"<article_detail><count>{len(job['articles'])}</count>{items}</article_detail>"
            )
        else:
            detail = "".join(f"<fail_idx>{n}</fail_idx>" for n in range(1, len(job["articles"]) + 1))
        xml = (
            f"<xml><ToUserName><![CDATA[{app.original_id}]]></ToUserName>"
            f"<FromUserName><![CDATA[oSandbox{app.appid[-8:]}]]></FromUserName>"
            f"<CreateTime>{int(now)}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[PUBLISHJOBFINISH]]></Event><PublishEventInfo><publish_id>{publish_id}</publish_id>"
            f"<publish_status>{job['status']}</publish_status>{detail}</PublishEventInfo></xml>"
        )
        timestamp, nonce = str(int(now)), secrets.token_hex(5)
        signature = hashlib.sha1("".join(sorted([app.callback_token, timestamp, nonce])).encode()).hexdigest()
        return xml.encode("utf-8"), {"signature": signature, "timestamp": timestamp, "nonce": nonce}

    # Views for people -----------------------------------------------------------------------------------

    def article(self, article_id):
        article = self.articles.get(article_id)
        if article is None:
            return None
        return {**article, "app": self.apps.get(article["appid"])}

    def snapshot(self):
        with self.lock:
            return json.loads(
                json.dumps(
                    {
                        "drafts": self.drafts,
                        "jobs": self.jobs,
                        "articles": self.articles,
                        "materials": self.materials,
                        "mass_messages": {str(k): v for k, v in self.mass_messages.items()},
                    }
                )
            )


def _image_kind(data):
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if data[:2] == b"BM":
        return "bmp"
    return None


def _page(items, body):
    try:
        offset, count = int(body.get("offset", 0)), int(body.get("count", 20))
    except (TypeError, ValueError) as exc:
        raise WeChatError(40097, "invalid args") from exc
    if not 1 <= count <= 20 or offset < 0:
        raise WeChatError(40097, "invalid args")
    return items[offset : offset + count]


def _batch(items, body, id_key, news_items):
    """A batchget answer (draft/batchget, freepublish/batchget): newest first, one page of ``offset``/``count``."""
    items = sorted(items, key=lambda pair: pair[1]["update_time"], reverse=True)
    page = _page(items, body)
    no_content = bool(body.get("no_content"))
    return {
        "total_count": len(items),
        "item_count": len(page),
        "item": [
            {
                id_key: key,
                "content": {"news_item": news_items(key, entry, no_content)},
                "update_time": entry["update_time"],
            }
            for key, entry in page
        ],
    }


def _strip_content(article, no_content):
    return {k: v for k, v in article.items() if not (no_content and k == "content")}
