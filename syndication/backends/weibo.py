"""Weibo: ``statuses/share.json`` with the page link on the safe domain, optionally a picture.

There is no delete call for share: a withdrawn page's post is flagged for manual removal. A share whose answer
was lost (timeout, dropped connection, 20032 "server slow", 20019/20017 duplicate) is looked for in the
account's own timeline; only when it has not appeared within ``SYNDICATION_WEIBO_RECONCILE_WINDOW`` seconds is
it posted again.
"""

import datetime
import re

from django.conf import settings
from django.utils import timezone

from ..adapt import canonical_url, compose_weibo_text, image_file, weibo_problems
from ..clients.weibo import WeiboClient
from ..models import JobAction, JobState, SyndicationJob, WeiboTarget
from . import Backend, Done, Failed, Later

PICTURE_MAX_BYTES = 5 * 1024 * 1024
URLS = re.compile(r"https?://\S+")
DUPLICATE_CODES = {"20017", "20019"}


def _comparable(text):
    """Weibo rewrites links (t.cn) in the text it returns: compare without links or spaces."""
    return "".join(URLS.sub("", text or "").split())


def _created(status):
    try:
        return datetime.datetime.strptime(status.get("created_at", ""), "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        return None


class WeiboBackend(Backend):
    channel = "weibo"

    def __init__(self, account):
        super().__init__(account)
        self.client = WeiboClient()

    def prepare(self, job):
        from ..engine import Held
        from ..outbox import release_problem

        if job.action == JobAction.WITHDRAW:
            return Failed("微博没有删除接口，请在微博客户端手动删除", "no-delete")
        if (problem := release_problem(job)) is not None:
            return problem
        if not self.account.weibo_authorized:
            return Held("微博账号尚未授权或授权已过期，请账号管理员在后台重新授权")
        page = job.revision.as_object()
        target = WeiboTarget(**job.payload["target"])
        link = canonical_url(job.page)
        text = target.text or page.title
        if self._posted_before(job, compose_weibo_text(text, link)):
            text = "【更新】" + text  # Weibo refuses the same text twice (20019); a re-post says what it is
        problems = weibo_problems(text, link, self.account)
        if problems:
            return Failed("；".join(problems), "content")
        job.payload = {
            **job.payload,
            "text": compose_weibo_text(text, link),
            "link": link,
            "picture_id": target.picture_id,
        }
        return "share"

    def _published_by_this_account(self, job):
        return SyndicationJob.objects.filter(
            account=self.account, action=JobAction.PUBLISH, state=JobState.PUBLISHED
        ).exclude(pk=job.pk)

    def _posted_before(self, job, text):
        earlier = self._published_by_this_account(job).filter(page_id=job.page_id).only("payload")
        return any(other.payload.get("text") == text for other in earlier)

    def step(self, job):
        from ..engine import mark_in_flight

        wait = self._rate_limit_wait(job)
        if wait:
            return Later(
                wait, JobState.WAITING, f"已达每小时 {self.account.posts_per_hour} 条的发布上限，顺延发布"
            )
        picture = None
        if job.payload.get("picture_id"):
            picture = image_file(job.payload["picture_id"], PICTURE_MAX_BYTES)
        mark_in_flight(job, "share")
        status = self.client.share(
            self.account.weibo_access_token, job.payload["text"], settings.SYNDICATION_WEIBO_RIP, picture
        )
        return self._done(status)

    def _done(self, status, detail=""):
        idstr = str(status.get("idstr") or status.get("id"))
        uid = str(
            (status.get("user") or {}).get("idstr")
            or (status.get("user") or {}).get("id")
            or self.account.weibo_uid
        )
        url = f"{settings.SYNDICATION_WEIBO_WEB_BASE.rstrip('/')}/{uid}/{idstr}"
        return Done(JobState.PUBLISHED, idstr, url, detail=detail)

    def _rate_limit_wait(self, job):
        """Seconds to wait so this account stays under its hourly limit (the platform's 20016 is the backstop)."""
        window = datetime.timedelta(seconds=settings.SYNDICATION_WEIBO_RATE_WINDOW_SECONDS)
        since = timezone.now() - window
        recent = list(
            SyndicationJob.objects.filter(
                account=self.account,
                action=JobAction.PUBLISH,
                state=JobState.PUBLISHED,
                finished_at__gte=since,
            )
            .exclude(pk=job.pk)
            .order_by("finished_at")
            .values_list("finished_at", flat=True)
        )
        if len(recent) < self.account.posts_per_hour:
            return 0
        oldest = recent[len(recent) - self.account.posts_per_hour]
        return max(0.5, (oldest + window - timezone.now()).total_seconds())

    def _timeline_since(self, since, pages=10):
        """The account's own posts, newest first, back to ``since`` (at most ``pages`` pages of 100)."""
        for page in range(1, pages + 1):
            statuses = self.client.user_timeline(
                self.account.weibo_access_token, self.account.weibo_uid, count=100, page=page
            )
            yield from statuses
            oldest = _created(statuses[-1]) if statuses else None
            if len(statuses) < 100 or (oldest is not None and oldest < since):
                return

    def reconcile(self, job):
        """Is the post in the account's timeline? If not, and the window has passed, it did not happen."""
        from ..engine import clear_in_flight, save_progress

        wanted = _comparable(job.payload["text"])
        # Not an older post with the same text: one posted after this call was made (allowing for clock skew),
        # and not one another job already accounts for.
        since = (job.in_flight_at or job.created_at) - datetime.timedelta(seconds=30)
        known = set(self._published_by_this_account(job).values_list("remote_id", flat=True))
        for status in self._timeline_since(since):
            created = _created(status)
            if (
                _comparable(status.get("text")) == wanted
                and str(status.get("idstr") or status.get("id")) not in known
                and (created is None or created >= since)
            ):
                job.add_history("share", "reconciled", detail="found in timeline")
                return self._done(status, detail="核实后确认已发布")
        waited = (timezone.now() - job.in_flight_at).total_seconds() if job.in_flight_at else 1e9
        window = settings.SYNDICATION_WEIBO_RECONCILE_WINDOW
        if waited < window:
            return Later(
                min(settings.SYNDICATION_RECONCILE_SECONDS, window - waited),
                JobState.RECONCILING,
                "正在核实微博是否已发布",
            )
        if job.remote.get("unknown_code") in DUPLICATE_CODES:
            return Failed(
                "微博提示内容重复，但账号时间线中未找到该微博：请在微博核实后处理", job.remote["unknown_code"]
            )
        clear_in_flight(job)  # not there after the window: the share did not land, so it is posted again
        job.add_history("share", "reconciled", detail="absent after window")
        save_progress(job)
        return None
