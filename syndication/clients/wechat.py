"""WeChat Official Account API (newmedia-apis.md §1): tokens, images, materials, drafts, publishing, mass send.

Errors arrive with HTTP 200 as ``{"errcode": N, "errmsg": "…"}``; success leaves errcode out or 0. JSON bodies
go out as UTF-8 without ``\\uXXXX`` escapes (the platform garbles escaped titles).
"""

import json

from django.conf import settings

from ..errors import ApiError, Kind, classify
from . import BaseClient


class WeChatClient(BaseClient):
    channel = "wechat"

    def default_base_url(self):
        return settings.SYNDICATION_WECHAT_API_BASE

    # Plumbing -------------------------------------------------------------------------------------------

    def _result(self, response, step):
        data = self.json_of(response)
        if not isinstance(data, dict):
            raise ApiError(
                self.channel, f"HTTP {response.status_code}", "non-JSON answer", Kind.TRANSIENT,
                reason="平台返回了无法解析的答复，稍后自动重试", step=step,
            )  # fmt: skip
        code = data.get("errcode") or 0
        if code != 0:
            error = classify(self.channel, code, str(data.get("errmsg", "")), step=step)
            error.payload = data
            raise error
        return data

    def post_json(self, path, body, token=None, step="", params=None):
        params = dict(params or {})
        if token is not None:
            params["access_token"] = token
        response = self.request(
            "POST",
            path,
            params=params,
            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json; charset=utf-8"},
            step=step,
        )
        return self._result(response, step)

    def post_file(self, path, token, filename, data, content_type, params=None, fields=None, step=""):
        response = self.request(
            "POST",
            path,
            params={"access_token": token, **(params or {})},
            files={"media": (filename, data, content_type)},
            data=fields or None,
            step=step,
        )
        return self._result(response, step)

    # Tokens (§1.1) ----------------------------------------------------------------------------------------

    def stable_token(self, appid, secret, force_refresh=False):
        """``(access_token, expires_in)``. Normal mode returns the current token while it is valid."""
        data = self.post_json(
            "/cgi-bin/stable_token",
            {
                "grant_type": "client_credential",
                "appid": appid,
                "secret": secret,
                "force_refresh": force_refresh,
            },
            step="token",
        )
        return data["access_token"], int(data.get("expires_in", 7200))

    # Media (§1.2, §1.3) -----------------------------------------------------------------------------------

    def upload_image(self, token, filename, data, content_type):
        """A body image; returns the URL to put in ``<img src>`` (jpg/png, < 1 MB)."""
        return self.post_file("/cgi-bin/media/uploadimg", token, filename, data, content_type, step="images")[
            "url"
        ]

    def add_material(self, token, kind, filename, data, content_type):
        """A permanent asset (the cover: ``kind="image"``); returns ``(media_id, url)``."""
        result = self.post_file(
            "/cgi-bin/material/add_material",
            token,
            filename,
            data,
            content_type,
            params={"type": kind},
            step="cover",
        )
        return result["media_id"], result.get("url", "")

    # Drafts (§1.4) ----------------------------------------------------------------------------------------

    def add_draft(self, token, articles):
        return self.post_json("/cgi-bin/draft/add", {"articles": articles}, token, step="draft")["media_id"]

    def get_draft(self, token, media_id):
        return self.post_json("/cgi-bin/draft/get", {"media_id": media_id}, token, step="draft")

    def batchget_drafts(self, token, offset=0, count=20, no_content=True):
        body = {"offset": offset, "count": count, "no_content": int(no_content)}
        return self.post_json("/cgi-bin/draft/batchget", body, token, step="draft")

    # Publishing (§1.5–§1.8) -------------------------------------------------------------------------------

    def submit(self, token, media_id):
        """Accepted is not published: the result comes from ``get_publish`` (or the PUBLISHJOBFINISH push)."""
        return str(
            self.post_json("/cgi-bin/freepublish/submit", {"media_id": media_id}, token, step="submit")[
                "publish_id"
            ]
        )

    def get_publish(self, token, publish_id):
        return self.post_json("/cgi-bin/freepublish/get", {"publish_id": str(publish_id)}, token, step="poll")

    def batchget_published(self, token, offset=0, count=20, no_content=True):
        body = {"offset": offset, "count": count, "no_content": int(no_content)}
        return self.post_json("/cgi-bin/freepublish/batchget", body, token, step="reconcile")

    def delete_published(self, token, article_id, index=0):
        self.post_json(
            "/cgi-bin/freepublish/delete", {"article_id": article_id, "index": index}, token, step="delete"
        )

    # Mass send (§1.9) -------------------------------------------------------------------------------------

    def mass_send_all(self, token, media_id, clientmsgid, tag_id=None):
        """Push a draft to followers. The same ``clientmsgid`` within 24 h answers 45065 with the first msg_id,
        which makes a repeated call safe; that answer is returned as a success here."""
        body = {
            "filter": {"is_to_all": tag_id is None, **({"tag_id": tag_id} if tag_id is not None else {})},
            "mpnews": {"media_id": media_id},
            "msgtype": "mpnews",
            "send_ignore_reprint": 0,
            "clientmsgid": clientmsgid,
        }
        try:
            data = self.post_json("/cgi-bin/message/mass/sendall", body, token, step="mass_send")
        except ApiError as exc:
            if exc.code == 45065 and exc.payload.get("msg_id"):
                return str(exc.payload["msg_id"])
            raise
        return str(data.get("msg_id", ""))
