"""The sandbox's HTTP server: routes, fault handling, the PUBLISHJOBFINISH pusher and pages for people."""

import email.parser
import email.policy
import html
import json
import pickle
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

from .faults import FaultPlan
from .wechat import WeChatError, WeChatState, error_body
from .weibo import WeiboError, WeiboState

DROP = object()


class Response:
    def __init__(self, status=200, body=b"", content_type="application/json; charset=utf-8", headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode("utf-8")
        elif isinstance(body, str):
            body = body.encode("utf-8")
        self.status, self.body, self.content_type, self.headers = status, body, content_type, headers or {}


def page(title, body, status=200):
    return Response(
        status,
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>",
        "text/html; charset=utf-8",
    )


CSS = """
body{margin:0;font:16px/1.7 -apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;color:#222;background:#f5f5f5}
main{max-width:680px;margin:0 auto;background:#fff;padding:20px 16px 40px;min-height:100vh;box-sizing:border-box}
h1{font-size:22px;line-height:1.4;margin:0 0 12px}.meta{color:#888;font-size:14px;margin-bottom:20px}
.meta a{color:#576b95;text-decoration:none}.content img{max-width:100%;height:auto}
.source{margin-top:28px;font-size:14px}.source a{color:#576b95}.banner{background:#fff3cd;color:#7a5b00;
padding:6px 12px;font-size:13px}.card{border:1px solid #eee;border-radius:8px;padding:14px;margin:12px 0}
.card .who{font-weight:600}.card .when{color:#999;font-size:13px}.card img{max-width:100%}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{border-bottom:1px solid #eee;padding:6px;text-align:left}
"""


class Sandbox:
    """WeChat and Weibo on one local port. ``start()`` serves in a background thread; ``url`` is the base URL."""

    def __init__(self, host="127.0.0.1", port=0, state_file=None, publish_seconds=0.5, posts_per_hour=30):
        self.faults = FaultPlan()
        self.wechat = WeChatState(lambda: self.url, publish_seconds=publish_seconds)
        self.weibo = WeiboState(lambda: self.url, posts_per_hour=posts_per_hour)
        self.calls = []  # (method, path) of every API call, for tests and the bench
        self.pushes = []  # (publish_id, status, answer) of every PUBLISHJOBFINISH push
        self.state_file = Path(state_file) if state_file else None
        self._dirty = False
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self.host, self.port = self._server.server_address[:2]
        self.url = f"http://{self.host}:{self.port}"
        self._threads = []
        if self.state_file and self.state_file.exists():
            self._load()

    # Life cycle -----------------------------------------------------------------------------------------

    def start(self):
        serve = lambda: self._server.serve_forever(poll_interval=0.05)  # noqa: E731
        for name, target in (("serve", serve), ("tick", self._tick_forever)):
            thread = threading.Thread(target=target, daemon=True, name=f"sandbox-{name}")
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self):
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._save()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def serve_forever(self):
        """Run in the foreground (the management command); Ctrl-C stops."""
        self.start()
        try:
            while not self._stop.wait(1):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()

    def count(self, path):
        return sum(1 for _method, p in list(self.calls) if p == path)

    # Persistence (for the demo; tests keep everything in memory) ----------------------------------------

    _PERSISTED = {
        "wechat": ("apps", "images", "materials", "drafts", "jobs", "articles", "mass_messages"),
        "weibo": ("apps", "users", "tokens", "codes", "statuses", "pictures"),
    }

    def _save(self):
        if not self.state_file or not self._dirty:
            return
        data = {
            name: {attr: getattr(getattr(self, name), attr) for attr in attrs}
            for name, attrs in self._PERSISTED.items()
        }
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_file.with_suffix(".tmp")
        with self.wechat.lock, self.weibo.lock:
            tmp.write_bytes(pickle.dumps(data))
        tmp.replace(self.state_file)
        self._dirty = False

    def _load(self):
        data = pickle.loads(self.state_file.read_bytes())
        for name, attrs in self._PERSISTED.items():
            for attr in attrs:
                if attr in data.get(name, {}):
                    setattr(getattr(self, name), attr, data[name][attr])
        ids = [int(k) for k in self.wechat.jobs] + [int(k) for k in self.wechat.mass_messages]
        self.wechat._ids = iter(range(max(ids, default=2247500000) + 1, 10**12))
        self.weibo._ids = iter(
            range(max((s["id"] for s in self.weibo.statuses), default=4400000000000000) + 7919, 10**17, 7919)
        )

    # The ticker: publish jobs finish, pushes go out -----------------------------------------------------

    def _tick_forever(self):
        while not self._stop.wait(0.05):
            for publish_id, job in self.wechat.tick(time.time()):
                self._dirty = True
                self._push(publish_id, job)
            self._save()

    def _push(self, publish_id, job):
        app = self.wechat.apps.get(job["appid"])
        if app is None or not app.callback_url:
            return
        fault = self.faults.take("PUBLISHJOBFINISH")
        if fault is not None and fault.kind == "drop_push":
            self.pushes.append((publish_id, job["status"], "dropped"))
            return
        body, query = self.wechat.push_body(app, publish_id, job, time.time())
        for _ in range(2 if fault is not None and fault.kind == "duplicate_push" else 1):
            try:
                answer = requests.post(
                    f"{app.callback_url}?{urlencode(query)}",
                    data=body,
                    headers={"Content-Type": "text/xml"},
                    timeout=5,
                )
                self.pushes.append((publish_id, job["status"], answer.status_code))
            except requests.RequestException as exc:
                self.pushes.append((publish_id, job["status"], type(exc).__name__))

    # Requests -------------------------------------------------------------------------------------------

    def _handler_class(self):
        sandbox = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "SuqianNewMediaSandbox/1.0"
            # Headers and body go out in two writes; without TCP_NODELAY, Nagle and delayed ACKs add 40 ms a call.
            disable_nagle_algorithm = True

            def log_message(self, *args):  # quiet: tests and the demo read the call log instead
                pass

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def do_DELETE(self):
                self._serve("DELETE")

            def _serve(self, method):
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = Request(method, parts.path, dict(parse_qsl(parts.query)), self.headers, raw)
                try:
                    response = sandbox.handle(request)
                except Exception as exc:  # noqa: BLE001 - whatever fails inside, the sandbox must answer, never hang a client
                    response = Response(500, {"errcode": -1, "errmsg": f"sandbox error: {exc}"})
                if response is DROP:
                    self.close_connection = True
                    return
                try:
                    self.send_response(response.status)
                    self.send_header("Content-Type", response.content_type)
                    self.send_header("Content-Length", str(len(response.body)))
                    for key, value in response.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(response.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up waiting (a timeout fault)

        return Handler

    def handle(self, request):
        path = request.path
        if path.startswith("/_sandbox/"):
            return self._control(request)
        api = path.startswith("/cgi-bin/") or path.startswith("/2/") or path.startswith("/oauth2/")
        if not api:
            return self._people(request)
        self.calls.append((request.method, path))
        channel = "wechat" if path.startswith("/cgi-bin/") else "weibo"
        fault = self.faults.take(path)
        if fault is not None:
            if fault.kind in ("error", "http_500") and fault.delay:
                time.sleep(fault.delay)  # a slow refusal: the client may give up first, nothing happened
            if fault.kind == "error":
                return self._error(channel, fault.code, "injected by the sandbox")
            if fault.kind == "http_500":
                return Response(500, "<html><body>500 Internal Server Error</body></html>", "text/html")
            if fault.kind == "slow_before":
                time.sleep(fault.delay)
            if fault.kind == "expire_token":
                token = request.query.get("access_token") or request.bearer
                self.wechat.expire_tokens(token, time.time())
                self.weibo.expire(token)
        try:
            response = self._api(channel, request, fault)
        except WeChatError as exc:
            response = Response(200, {**error_body(exc.code, exc.message), **getattr(exc, "extra", {})})
        except WeiboError as exc:
            response = self._error("weibo", exc.code, exc.message, status=exc.status, request_path=path)
        self._dirty = True
        if fault is not None and fault.kind == "drop_after":
            return DROP
        if fault is not None and fault.kind == "slow_after":
            time.sleep(fault.delay)
        return response

    def _error(self, channel, code, message, status=None, request_path=""):
        if channel == "wechat":
            return Response(200, error_body(code, message))
        return Response(status or 400, {"request": request_path, "error_code": code, "error": message})

    def _api(self, channel, request, fault):
        now = time.time()
        path, method = request.path, request.method
        wx, wb = self.wechat, self.weibo
        if channel == "wechat":
            if path == "/cgi-bin/stable_token":
                if method != "POST":
                    raise WeChatError(43002, "require POST method")
                return Response(200, wx.stable_token(request.json(), now))
            if path == "/cgi-bin/token":
                return Response(200, wx.plain_token(request.query, now))
            if method != "POST" and path != "/cgi-bin/draft/count":
                raise WeChatError(43002, "require POST method")
            app = wx.app_for(request.query.get("access_token", ""), now)
            routes = {
                "/cgi-bin/media/uploadimg": lambda: wx.upload_image(app, request.file("media")),
                "/cgi-bin/material/add_material": lambda: wx.add_material(
                    app, request.query.get("type", ""), request.file("media")
                ),
                "/cgi-bin/draft/add": lambda: wx.add_draft(app, request.json(), request.raw),
                "/cgi-bin/draft/get": lambda: wx.get_draft(app, request.json()),
                "/cgi-bin/draft/delete": lambda: wx.delete_draft(app, request.json()),
                "/cgi-bin/draft/batchget": lambda: wx.batchget_drafts(app, request.json()),
                "/cgi-bin/draft/count": lambda: wx.draft_count(app),
                "/cgi-bin/freepublish/submit": lambda: wx.submit(app, request.json(), fault, now),
                "/cgi-bin/freepublish/get": lambda: wx.get_publish(app, request.json(), now),
                "/cgi-bin/freepublish/batchget": lambda: wx.batchget_published(app, request.json(), now),
                "/cgi-bin/freepublish/getarticle": lambda: wx.get_article(app, request.json()),
                "/cgi-bin/freepublish/delete": lambda: wx.delete_published(app, request.json()),
                "/cgi-bin/message/mass/sendall": lambda: wx.mass_send(app, request.json(), now),
            }
            handler = routes.get(path)
            if handler is None:
                raise WeChatError(48001, "api unauthorized")
            return Response(200, handler())
        # Weibo
        if path == "/oauth2/authorize":
            return self._authorize(request)
        if path == "/oauth2/access_token":
            return Response(200, wb.access_token(request.form(), now))
        if path == "/oauth2/get_token_info":
            return Response(200, wb.token_info(request.form().get("access_token", ""), now))
        token = request.bearer or request.form().get("access_token") or request.query.get("access_token", "")
        if path == "/2/statuses/share.json" and method == "POST":
            return Response(200, wb.share(token, request.form(), request.file("pic"), fault, now))
        if path == "/2/statuses/user_timeline.json":
            return Response(200, wb.timeline(token, request.query, now))
        if path == "/2/account/rate_limit_status.json":
            return Response(200, wb.rate_limit(token, now))
        if path == "/2/statuses/update.json":
            raise WeiboError(10014, "Insufficient app permissions!", status=403)
        raise WeiboError(10002, "service unavailable: unknown api", status=404)

    def _authorize(self, request):
        params = {**request.query, **request.form()}
        app = self.weibo.apps.get(params.get("client_id", ""))
        if app is None:
            return page(
                "授权失败", "<main><h1>授权失败</h1><p>应用不存在（invalid_client）。</p></main>", 400
            )
        uid = params.get("uid") or next(iter(self.weibo.users), None) or "5000000001"
        user = self.weibo.user(uid)
        if request.method == "POST" or self.weibo.auto_approve:
            code = self.weibo.authorize(params, user.uid)
            query = urlencode({"code": code, **({"state": params["state"]} if params.get("state") else {})})
            separator = "&" if "?" in params.get("redirect_uri", "") else "?"
            return Response(
                302, b"", "text/plain", {"Location": f"{params.get('redirect_uri', '')}{separator}{query}"}
            )
        hidden = "".join(
            f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
            for k, v in params.items()
        )
        return page(
            "微博授权（沙箱）",
            f"<div class='banner'>新媒体沙箱 · 模拟微博开放平台</div><main><h1>授权“{html.escape(app.name)}”</h1>"
            f"<p>该应用将以 <b>{html.escape(user.screen_name)}</b>（uid {html.escape(user.uid)}）的身份发布微博。</p>"
            f"<form method='post'>{hidden}<button type='submit'>同意授权</button></form></main>",
        )

    # Pages for people -----------------------------------------------------------------------------------

    def _people(self, request):
        path = request.path
        if path == "/":
            return self._index()
        if match := re.fullmatch(r"/s/([\w-]+)", path):
            return self._article(match.group(1), int(request.query.get("idx", "1") or 1))
        if match := re.fullmatch(r"/mmbiz/(\w+)", path):
            image = self.wechat.images.get(match.group(1))
            return Response(200, image[0], image[1]) if image else Response(404, b"", "text/plain")
        if match := re.fullmatch(r"/weibo-pic/(\w+)", path):
            picture = self.weibo.pictures.get(match.group(1))
            return Response(200, picture[0], picture[1]) if picture else Response(404, b"", "text/plain")
        if match := re.fullmatch(r"/weibo/(\d+)/(\d+)", path):
            return self._status(match.group(1), match.group(2))
        return page("未找到", "<main><h1>未找到</h1></main>", 404)

    def _article(self, article_id, idx):
        article = self.wechat.article(article_id)
        if article is None or idx < 1 or idx > len(article["articles"]):
            return page("该内容已被发布者删除", "<main><h1>该内容已被发布者删除</h1></main>", 404)
        if article["deleted"]:
            return page("该内容已被发布者删除", "<main><h1>该内容已被发布者删除</h1></main>", 410)
        item = article["articles"][idx - 1]
        app = article["app"]
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(article["update_time"]))
        source = item.get("content_source_url") or ""
        read_more = f"<p class='source'><a href='{html.escape(source)}'>阅读原文</a></p>" if source else ""
        author = f"{html.escape(item.get('author') or '')} " if item.get("author") else ""
        return page(
            item["title"],
            "<div class='banner'>新媒体沙箱 · 模拟微信公众号文章页</div>"
            f"<main><h1>{html.escape(item['title'])}</h1><div class='meta'>{author}"
            f"<a href='#'>{html.escape(app.name if app else '')}</a> {when}</div>"
            f"<div class='content' id='js_content'>{item['content']}</div>{read_more}</main>",
        )

    def _status(self, uid, idstr):
        status = self.weibo.find(uid, idstr)
        if status is None or status["visible_at"] > time.time():
            return page("微博不存在", "<main><h1>该微博不存在</h1></main>", 404)
        return page(
            "微博正文",
            "<div class='banner'>新媒体沙箱 · 模拟微博正文页</div><main>" + self._card(status) + "</main>",
        )

    def _card(self, status):
        user = self.weibo.users.get(status["uid"])
        text = html.escape(status["text"])
        text = re.sub(r"(https?://[^\s<]+)", r"<a href='\1'>\1</a>", text)
        picture = f"<p><img src='/weibo-pic/{status['picture']}' alt=''></p>" if status["picture"] else ""
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(status["created"]))
        return (
            f"<div class='card'><div class='who'>{html.escape(user.screen_name if user else status['uid'])}</div>"
            f"<div class='when'>{when} 来自 {html.escape(status['app'])}</div><p>{text}</p>{picture}</div>"
        )

    def _index(self):
        rows = []
        for article_id, article in sorted(self.wechat.articles.items(), key=lambda kv: -kv[1]["update_time"])[
            :30
        ]:
            title = article["articles"][0]["title"]
            state = "已删除" if article["deleted"] else ("群发" if article.get("mass_msg_id") else "发布")
            rows.append(
                f"<tr><td><a href='/s/{article_id}'>{html.escape(title)}</a></td><td>{state}</td></tr>"
            )
        posts = "".join(
            f"<p><a href='/weibo/{s['uid']}/{s['id']}'>{html.escape(s['text'][:40])}…</a></p>"
            for s in reversed(self.weibo.statuses[-30:])
        )
        faults = html.escape(json.dumps(self.faults.as_list(), ensure_ascii=False))
        return page(
            "新媒体沙箱",
            "<div class='banner'>新媒体沙箱：与微信公众平台、微博开放平台相同的接口与错误码，仅供演示和测试</div>"
            f"<main><h1>新媒体沙箱</h1><h2>公众号文章</h2><table>{''.join(rows) or '<tr><td>暂无</td></tr>'}</table>"
            f"<h2>微博</h2>{posts or '<p>暂无</p>'}<h2>故障注入</h2><p><code>{faults}</code></p>"
            '<p>POST /_sandbox/faults {"path": "/cgi-bin/draft/add", "kind": "error", "code": -1}；'
            'POST /_sandbox/chaos {"rate": 0.2}；DELETE /_sandbox/faults。</p></main>',
        )

    # Control API ----------------------------------------------------------------------------------------

    def _control(self, request):
        path, method = request.path, request.method
        try:
            if path == "/_sandbox/faults" and method == "POST":
                fault = self.faults.add(**request.json())
                return Response(201, fault.as_dict())
            if path == "/_sandbox/faults" and method == "DELETE":
                self.faults.clear()
                return Response(200, {"cleared": True})
            if path == "/_sandbox/faults":
                return Response(200, {"planned": self.faults.as_list(), "fired": self.faults.log[-100:]})
            if path == "/_sandbox/chaos" and method == "POST":
                body = request.json()
                self.faults.chaos(body.get("rate", 0.2), body.get("seed"), body.get("delay", 0.0))
                return Response(200, {"rate": self.faults.chaos_rate})
            if path == "/_sandbox/state":
                return Response(200, self.summary())
        except (TypeError, ValueError) as exc:
            return Response(400, {"error": str(exc)})
        return Response(404, {"error": "unknown control path"})

    def summary(self):
        return {
            "calls": len(self.calls),
            "wechat": {
                "apps": sorted(self.wechat.apps),
                "drafts": len(self.wechat.drafts),
                "published": sum(1 for a in self.wechat.articles.values() if not a["deleted"]),
                "filtered_images": len(self.wechat.filtered_images),
            },
            "weibo": {"apps": sorted(self.weibo.apps), "statuses": len(self.weibo.statuses)},
        }


class Request:
    def __init__(self, method, path, query, headers, raw):
        self.method, self.path, self.query, self.headers, self.raw = method, path, query, headers, raw
        self._form = self._files = None

    @property
    def bearer(self):
        auth = self.headers.get("Authorization") or ""
        return auth.split(" ", 1)[1].strip() if auth.startswith("OAuth2 ") else ""

    def json(self):
        try:
            data = json.loads(self.raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError) as exc:
            raise WeChatError(47001, "data format error") from exc
        if not isinstance(data, dict):
            raise WeChatError(47001, "data format error")
        return data

    def _parse_form(self):
        if self._form is not None:
            return
        self._form, self._files = {}, {}
        content_type = self.headers.get("Content-Type") or ""
        if content_type.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + self.raw
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                data = part.get_payload(decode=True) or b""
                if part.get_filename():
                    self._files[name] = {
                        "filename": part.get_filename(),
                        "data": data,
                        "content_type": part.get_content_type(),
                    }
                else:
                    self._form[name] = data.decode("utf-8", "replace")
        elif self.raw:
            self._form = dict(parse_qsl(self.raw.decode("utf-8", "replace"), keep_blank_values=True))

    def form(self):
        self._parse_form()
        return self._form

    def file(self, name):
        self._parse_form()
        return self._files.get(name)
