"""WeChat access tokens: one per account, shared by every worker, refreshed single-flight.

The token lives on the ``Account`` row. A worker that finds it missing, near expiry, or rejected by the platform
(40001/40014/42001) takes the row lock (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write lock, taken at
BEGIN in this project's IMMEDIATE transaction mode) and looks again: if another worker refreshed meanwhile, it
uses that token; only the first one calls ``stable_token``. A rejected call is retried once with the new token,
never in a loop, and ``force_refresh`` is never used (it would invalidate every other worker's token).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .errors import ApiError, Kind
from .models import Account

MARGIN = datetime.timedelta(minutes=5)


def _usable(account, stale):
    return (
        account.wechat_access_token
        and account.wechat_access_token != stale
        and account.wechat_token_expires_at
        and account.wechat_token_expires_at > timezone.now() + MARGIN
    )


def wechat_token(account, client, stale=None):
    """A valid token for ``account``; ``stale`` is a token the platform just rejected."""
    current = Account.objects.only("wechat_access_token", "wechat_token_expires_at").get(pk=account.pk)
    if _usable(current, stale):
        return current.wechat_access_token
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        if _usable(locked, stale):
            return locked.wechat_access_token
        secret = locked.secret()
        if not secret:
            raise ApiError(
                "wechat",
                41004,
                "appsecret missing",
                Kind.ACCOUNT,
                reason=f"服务器未配置公众号密钥（环境变量 SYNDICATION_SECRET_{locked.secret_name}）",
                step="token",
            )
        token, expires_in = client.stable_token(locked.app_id, secret)
        locked.wechat_access_token = token
        locked.wechat_token_expires_at = timezone.now() + datetime.timedelta(seconds=expires_in)
        locked.save(update_fields=["wechat_access_token", "wechat_token_expires_at"])
        return token


def with_wechat_token(account, client, call):
    """``call(token)``, refreshing once if the platform says the token is stale or expired."""
    token = wechat_token(account, client)
    try:
        return call(token)
    except ApiError as exc:
        if exc.kind is not Kind.TOKEN:
            raise
    token = wechat_token(account, client, stale=token)
    try:
        return call(token)
    except ApiError as exc:
        if exc.kind is Kind.TOKEN:
            raise ApiError(
                "wechat",
                exc.code,
                exc.message,
                Kind.TRANSIENT,
                reason="刷新令牌后仍被拒绝，稍后自动重试",
                step=exc.step,
            ) from None
        raise
