"""What a platform's answer means for a job: the error classes of newmedia-apis.md §6, and plain-word reasons.

Every failure a client sees becomes an ``ApiError`` with a ``kind``:

- ``TRANSIENT``: the call was refused or never reached the platform (WeChat -1, HTTP 5xx, a connection that
  could not be opened or timed out before the request was sent). Retried with bounded exponential backoff.
- ``QUOTA``: a rate or daily quota. Rescheduled after the window (``retry_after`` seconds).
- ``TOKEN``: WeChat's access token is stale or expired. One single-flight refresh, then one retry.
- ``REAUTH``: a Weibo user token is dead; only an editor re-running OAuth can fix it.
- ``ACCOUNT``: the account's credentials or permissions are wrong (bad secret, IP not whitelisted, API not
  authorised). Nothing is retried until an administrator fixes the account.
- ``PERMANENT``: the platform refused this content. Failed, with a reason an editor can act on.
- ``UNKNOWN``: the platform may have acted (a timeout after sending, a connection dropped after the request,
  Weibo 20032 or 20019). Never retried blind: the job reconciles against the platform first.
"""

import enum
import re


class Kind(enum.StrEnum):
    TRANSIENT = "transient"
    QUOTA = "quota"
    TOKEN = "token"
    REAUTH = "reauth"
    ACCOUNT = "account"
    PERMANENT = "permanent"
    UNKNOWN = "unknown"


# Quota windows, resolved to seconds by ``engine.quota_wait``; daily quotas reset at midnight, Beijing time.
MINUTE, HOUR, UNTIL_MIDNIGHT = "minute", "hour", "midnight"


class ApiError(Exception):
    """A failed call. ``code`` is the platform's errcode/error_code (or an HTTP/transport label)."""

    def __init__(self, channel, code, message, kind, reason="", retry_after=None, step=""):
        super().__init__(f"{channel} {code}: {message}")
        self.channel = channel
        self.code = code
        self.message = message
        self.kind = Kind(kind)
        self.reason = reason or message
        self.retry_after = retry_after
        self.step = step
        self.payload = {}

    @property
    def code_label(self):
        return str(self.code)


# WeChat (errcode) ------------------------------------------------------------------------------------

WECHAT = {
    -1: (Kind.TRANSIENT, "微信系统繁忙，稍后自动重试"),
    40001: (Kind.TOKEN, "访问令牌已失效（access_token 不是最新）"),
    40014: (Kind.TOKEN, "访问令牌无效"),
    42001: (Kind.TOKEN, "访问令牌已过期"),
    41001: (Kind.TOKEN, "缺少访问令牌"),
    45009: (Kind.QUOTA, "接口调用已达今日上限，次日零点后自动继续", UNTIL_MIDNIGHT),
    45011: (Kind.QUOTA, "接口调用过于频繁（每分钟限额），一分钟后自动继续", MINUTE),
    45028: (Kind.QUOTA, "今日群发次数已用完，次日自动继续", UNTIL_MIDNIGHT),
    45066: (Kind.QUOTA, "群发重试过快，一分钟后自动继续", MINUTE),
    40013: (Kind.ACCOUNT, "AppID 无效：请检查公众号账号设置"),
    40125: (Kind.ACCOUNT, "AppSecret 无效：请检查公众号密钥配置"),
    41004: (Kind.ACCOUNT, "缺少 AppSecret：请在服务器环境变量中配置公众号密钥"),
    40164: (Kind.ACCOUNT, "服务器 IP 不在公众号 IP 白名单中：请在公众平台添加"),
    40243: (Kind.ACCOUNT, "AppSecret 已被冻结：请在公众平台解冻"),
    48001: (Kind.ACCOUNT, "公众号无此接口权限（发布接口仅限已认证账号）"),
    50002: (Kind.ACCOUNT, "公众号被限制使用接口"),
    50004: (Kind.ACCOUNT, "公众号禁止调用令牌接口"),
    50007: (Kind.ACCOUNT, "公众号已被冻结"),
    89503: (Kind.ACCOUNT, "本次调用需要公众号管理员确认"),
    89506: (Kind.ACCOUNT, "管理员拒绝了来自本服务器 IP 的调用（24 小时内）"),
    89507: (Kind.ACCOUNT, "管理员拒绝了来自本服务器 IP 的调用（1 小时内）"),
    45166: (Kind.PERMANENT, "微信判定正文内容不合规（invalid content），请修改正文"),
    53503: (Kind.PERMANENT, "草稿未通过微信发布前检查，请修改后重新提交"),
    53504: (Kind.PERMANENT, "该草稿需在公众平台网页端操作发布"),
    53505: (Kind.PERMANENT, "该草稿需先在公众平台网页端手动保存后再发布"),
    40005: (Kind.PERMANENT, "图片格式不受支持（仅 JPG/PNG）"),
    40006: (Kind.PERMANENT, "图片大小不符合要求"),
    40009: (Kind.PERMANENT, "图片大小超过微信限制"),
    40007: (Kind.PERMANENT, "素材或草稿编号（media_id）无效"),
    41039: (Kind.PERMANENT, "原文链接（content_source_url）无效"),
    45003: (Kind.PERMANENT, "标题超过 32 字"),
    45004: (Kind.PERMANENT, "摘要超过 128 字"),
    44002: (Kind.PERMANENT, "提交的内容为空"),
    47001: (Kind.PERMANENT, "提交的数据格式不正确"),
    45067: (Kind.PERMANENT, "群发去重标识（clientmsgid）超过 64 字节"),
    53600: (Kind.PERMANENT, "文章编号（article_id）无效"),
}

# Weibo (error_code) ----------------------------------------------------------------------------------

_WEIBO_REAUTH = "微博授权已失效，请账号管理员在后台重新授权"
WEIBO = {
    10001: (Kind.TRANSIENT, "微博系统错误，稍后自动重试"),
    10002: (Kind.TRANSIENT, "微博服务暂停，稍后自动重试"),
    10003: (Kind.TRANSIENT, "微博远程服务错误，稍后自动重试"),
    10009: (Kind.TRANSIENT, "微博任务过多，稍后自动重试"),
    10022: (Kind.QUOTA, "IP 请求频次超过上限，一小时后自动继续", HOUR),
    10023: (Kind.QUOTA, "该账号请求频次超过上限，一小时后自动继续", HOUR),
    10024: (Kind.QUOTA, "该账号调用此接口频次超过上限，一小时后自动继续", HOUR),
    20016: (Kind.QUOTA, "发布内容过于频繁（每小时限额），一小时后自动继续", HOUR),
    21301: (Kind.REAUTH, _WEIBO_REAUTH),
    21314: (Kind.REAUTH, _WEIBO_REAUTH),
    21315: (Kind.REAUTH, _WEIBO_REAUTH),
    21316: (Kind.REAUTH, _WEIBO_REAUTH),
    21317: (Kind.REAUTH, _WEIBO_REAUTH),
    21319: (Kind.REAUTH, _WEIBO_REAUTH),
    21327: (Kind.REAUTH, _WEIBO_REAUTH),
    21332: (Kind.REAUTH, _WEIBO_REAUTH),
    21323: (Kind.ACCOUNT, "微博授权请求无效"),
    21324: (Kind.ACCOUNT, "微博应用凭据（App Key / App Secret）无效"),
    21325: (Kind.ACCOUNT, "微博授权码无效或已使用，请重新授权"),
    21322: (Kind.ACCOUNT, "微博授权回调地址与应用设置不一致"),
    10014: (Kind.ACCOUNT, "微博应用无此接口权限"),
    10017: (Kind.PERMANENT, "微博正文须包含应用安全域名下的链接（或应用未绑定安全域名）"),
    10016: (Kind.PERMANENT, "微博请求缺少必填参数"),
    10008: (Kind.PERMANENT, "微博请求参数错误"),
    20006: (Kind.PERMANENT, "微博配图过大（须小于 5MB）"),
    20007: (Kind.PERMANENT, "微博配图格式不受支持"),
    20008: (Kind.PERMANENT, "微博正文为空"),
    20012: (Kind.PERMANENT, "微博正文超过 140 字"),
    20018: (Kind.PERMANENT, "微博判定正文包含非法网址"),
    20020: (Kind.PERMANENT, "微博判定正文为广告内容"),
    20021: (Kind.PERMANENT, "微博判定正文包含违规内容"),
    20017: (Kind.UNKNOWN, "微博提示已发过相似内容：正在核实是否已发布"),
    20019: (Kind.UNKNOWN, "微博提示已发过相同内容：正在核实是否已发布"),
    20032: (Kind.UNKNOWN, "微博已受理但服务器繁忙（1–2 分钟后可见）：正在核实"),
}

TABLES = {"wechat": WECHAT, "weibo": WEIBO}


def classify(channel, code, message, step=""):
    """The ApiError for a platform error code; unknown codes are permanent (a human reads the message)."""
    entry = TABLES[channel].get(code)
    if entry is None:
        return ApiError(
            channel, code, message, Kind.PERMANENT, reason=f"平台返回错误 {code}：{message}", step=step
        )
    kind, reason, *window = entry
    if kind is Kind.PERMANENT and message:
        reason = f"{reason}（{code}：{message}）"
    return ApiError(
        channel, code, message, kind, reason=reason, retry_after=window[0] if window else None, step=step
    )


_SECRET_PARAMS = re.compile(r"(access_token|secret|client_secret|code)=[^&\s)'\"]+", re.I)


def redact(text):
    """Credentials never reach a log or a stored message: query parameters that carry them are masked."""
    return _SECRET_PARAMS.sub(lambda m: f"{m.group(1)}=***", str(text))


def transport_error(channel, exc, step=""):
    """A requests exception: TRANSIENT when the request never reached the platform, UNKNOWN when it may have.

    requests puts the full URL (with ``access_token``) into its messages, so they are redacted here.
    """
    import requests

    exc_text = redact(exc)

    if isinstance(exc, requests.ConnectTimeout) or _never_connected(exc):
        return ApiError(
            channel, "connect", exc_text, Kind.TRANSIENT, reason="无法连接平台接口，稍后自动重试", step=step
        )
    if isinstance(exc, requests.ReadTimeout):
        return ApiError(
            channel,
            "timeout",
            exc_text,
            Kind.UNKNOWN,
            reason="请求已发出但平台未在时限内答复：正在核实",
            step=step,
        )
    return ApiError(
        channel,
        "dropped",
        exc_text,
        Kind.UNKNOWN,
        reason="请求已发出但连接中断：正在核实是否已生效",
        step=step,
    )


def _never_connected(exc):
    """True when the chain of causes shows the TCP connection was never established."""
    import urllib3.exceptions

    seen = exc
    while seen is not None:
        if isinstance(seen, (urllib3.exceptions.NewConnectionError, ConnectionRefusedError)):
            return True
        if isinstance(seen, urllib3.exceptions.MaxRetryError) and seen.reason is not None:
            seen = seen.reason
            continue
        seen = (
            seen.__cause__
            or seen.__context__
            or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
        )
    return False


class RedactSecretsFilter:
    """A logging filter for loggers that print request URLs (urllib3 at DEBUG): credentials in the query string
    are masked even when someone turns DEBUG logging on."""

    def filter(self, record):
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
