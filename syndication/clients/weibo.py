"""Sina Weibo open API (newmedia-apis.md §2): OAuth2 and ``statuses/share.json``, the one write endpoint.

Errors come as ``{"request": "…", "error_code": N, "error": "…"}`` with a non-2xx status that is not reliable,
so the body decides. The user token travels in the ``Authorization: OAuth2`` header, never in a URL.
"""

from urllib.parse import urlencode

from django.conf import settings

from ..errors import ApiError, Kind, classify
from . import BaseClient


class WeiboClient(BaseClient):
    channel = "weibo"

    def default_base_url(self):
        return settings.SYNDICATION_WEIBO_API_BASE

    def _result(self, response, step):
        data = self.json_of(response)
        if isinstance(data, dict) and "error_code" in data:
            error = classify(self.channel, int(data["error_code"]), str(data.get("error", "")), step=step)
            error.payload = data
            raise error
        if data is None or response.status_code >= 400:
            raise ApiError(
                self.channel, f"HTTP {response.status_code}", "unexpected answer", Kind.TRANSIENT,
                reason=f"微博接口返回 HTTP {response.status_code}，稍后自动重试", step=step,
            )  # fmt: skip
        return data

    @staticmethod
    def _auth(token):
        return {"Authorization": f"OAuth2 {token}"}

    # OAuth2 -----------------------------------------------------------------------------------------------

    def authorize_url(self, app_key, redirect_uri, state):
        query = urlencode(
            {"client_id": app_key, "redirect_uri": redirect_uri, "response_type": "code", "state": state}
        )
        return f"{self.base_url}/oauth2/authorize?{query}"

    def exchange_code(self, app_key, app_secret, code, redirect_uri):
        """``{"access_token", "expires_in", "uid", …}`` for an authorization code."""
        form = {
            "client_id": app_key,
            "client_secret": app_secret,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
        }
        return self._result(self.request("POST", "/oauth2/access_token", data=form, step="oauth"), "oauth")

    def token_info(self, token):
        return self._result(
            self.request("POST", "/oauth2/get_token_info", data={"access_token": token}, step="oauth"),
            "oauth",
        )

    # Posting ----------------------------------------------------------------------------------------------

    def share(self, token, status, rip, picture=None):
        """Post ``status`` (must carry a link on the app's safe domain); ``picture`` is (filename, bytes, type)."""
        form = {"status": status, "rip": rip}
        files = {"pic": picture} if picture else None
        response = self.request(
            "POST", "/2/statuses/share.json", data=form, files=files, headers=self._auth(token), step="share"
        )
        return self._result(response, "share")

    def user_timeline(self, token, uid, count=100, page=1):
        """The authorised user's own posts, newest first, ``count`` a page (for reconciliation)."""
        response = self.request(
            "GET",
            "/2/statuses/user_timeline.json",
            params={"uid": uid, "count": count, "page": page},
            headers=self._auth(token),
            step="reconcile",
        )
        return self._result(response, "reconcile").get("statuses", [])

    def rate_limit_status(self, token):
        response = self.request(
            "GET", "/2/account/rate_limit_status.json", headers=self._auth(token), step="rate_limit"
        )
        return self._result(response, "rate_limit")
