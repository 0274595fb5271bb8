"""WeChat: stable_token → uploadimg (every body image) → add_material (cover) → draft/add → freepublish/submit
→ freepublish/get until a final status; or, for a mass send, draft/add → message/mass/sendall (clientmsgid).
A withdrawal is freepublish/delete."""

from django.conf import settings
from django.utils import timezone

from ..adapt import (
    WECHAT_BODY_IMAGE_MAX_BYTES,
    WECHAT_CONTENT_MAX_BYTES,
    WECHAT_CONTENT_MAX_CHARS,
    canonical_url,
    image_file,
    render_wechat_html,
    wechat_article,
    wechat_problems,
)
from ..clients.wechat import WeChatClient
from ..errors import ApiError, Kind
from ..models import JobAction, JobState, SyndicationJob, WeChatTarget
from ..tokens import with_wechat_token
from . import Backend, Done, Failed, Later

COVER_MAX_BYTES = 10 * 1024 * 1024
FAILED_STATUS = {
    2: "原创校验未通过，文章未发布",
    3: "微信发布失败（常规失败），请稍后在后台重试",
    4: "文章未通过微信平台审核，未发布",
}
REMOVED_STATUS = {5: "发布成功后被公众号管理员删除", 6: "发布成功后被微信平台封禁"}
SCAN_PAGES = 50  # reconciliation pages back (20 a page) until items are older than the call, at most 1,000


class WeChatBackend(Backend):
    channel = "wechat"

    def __init__(self, account):
        super().__init__(account)
        self.client = WeChatClient()

    def call(self, fn):
        return with_wechat_token(self.account, self.client, fn)

    # Preparing ----------------------------------------------------------------------------------------

    def prepare(self, job):
        from ..outbox import release_problem

        if job.action == JobAction.WITHDRAW:
            return "delete"
        if (problem := release_problem(job)) is not None:
            return problem
        page = job.revision.as_object()
        target = WeChatTarget(**job.payload["target"])
        article = wechat_article(page, target, self.account, link=canonical_url(job.page))
        problems = wechat_problems(article)
        if problems:
            return Failed("；".join(problems), "content")
        job.payload = {**job.payload, **article.as_payload(), "mass_send": target.mass_send}
        job.remote.setdefault("images", {})
        return "images"

    # Steps --------------------------------------------------------------------------------------------

    def step(self, job):
        return getattr(self, f"step_{job.step}")(job)

    def step_images(self, job):
        from ..engine import save_progress

        for image_id in job.payload["images"]:
            if str(image_id) in job.remote["images"]:
                continue
            filename, data, content_type = image_file(image_id, WECHAT_BODY_IMAGE_MAX_BYTES)
            url = self.call(
                lambda token, f=filename, d=data, c=content_type: self.client.upload_image(token, f, d, c)
            )
            job.remote["images"][str(image_id)] = url
            save_progress(job)
        job.step = "cover"

    def step_cover(self, job):
        from ..engine import save_progress

        if not job.remote.get("cover_media_id"):
            filename, data, content_type = image_file(
                job.payload["cover_image_id"], COVER_MAX_BYTES, "fill-900x383"
            )
            media_id, _url = self.call(
                lambda token: self.client.add_material(token, "image", filename, data, content_type)
            )
            job.remote["cover_media_id"] = media_id
        job.step = "draft"
        save_progress(job)

    def _articles(self, job):
        payload = job.payload
        content = render_wechat_html(payload["content"], job.remote["images"])
        if len(content) >= WECHAT_CONTENT_MAX_CHARS or len(content.encode()) >= WECHAT_CONTENT_MAX_BYTES:
            raise ApiError(
                "wechat", "content", "content too long", "permanent",
                reason="正文转换为微信格式后超过 20000 字符或 1MB，请精简正文", step="draft",
            )  # fmt: skip
        article = {
            "article_type": "news",
            "title": payload["title"],
            "author": payload["author"],
            "content": content,
            "content_source_url": payload["content_source_url"],
            "thumb_media_id": job.remote["cover_media_id"],
            "need_open_comment": 0,
            "only_fans_can_comment": 0,
        }
        if payload["digest"]:
            article["digest"] = payload["digest"]
        return [article]

    def step_draft(self, job):
        from ..engine import clear_in_flight, mark_in_flight, save_progress

        articles = self._articles(job)
        mark_in_flight(job, "draft")
        media_id = self.call(lambda token: self.client.add_draft(token, articles))
        job.remote["draft_media_id"] = media_id
        clear_in_flight(job)
        job.step = "mass_send" if job.payload.get("mass_send") else "submit"
        save_progress(job)

    def step_submit(self, job):
        from ..engine import clear_in_flight, mark_in_flight, save_progress

        mark_in_flight(job, "submit")
        publish_id = self.call(lambda token: self.client.submit(token, job.remote["draft_media_id"]))
        job.publish_id = job.remote["publish_id"] = publish_id
        job.remote["submitted_at"] = timezone.now().isoformat()
        job.remote["polls"] = 0
        clear_in_flight(job)
        job.step = "poll"
        save_progress(job)
        return Later(settings.SYNDICATION_POLL_SECONDS[0], JobState.SUBMITTED, "已提交微信发布，等待发布结果")

    def step_poll(self, job):
        data = self.call(lambda token: self.client.get_publish(token, job.publish_id))
        status = int(data.get("publish_status", 1))
        if status == 0:
            items = (data.get("article_detail") or {}).get("item") or [{}]
            return Done(JobState.PUBLISHED, str(data.get("article_id", "")), items[0].get("article_url", ""))
        if status in FAILED_STATUS:
            return Failed(FAILED_STATUS[status], f"publish_status {status}")
        if status in REMOVED_STATUS:
            return Done(JobState.REMOVED, str(data.get("article_id", "")), detail=REMOVED_STATUS[status])
        job.remote["polls"] = job.remote.get("polls", 0) + 1
        delays = settings.SYNDICATION_POLL_SECONDS
        return Later(
            delays[min(job.remote["polls"], len(delays) - 1)],
            JobState.SUBMITTED,
            "微信发布中（审核或原创校验）",
        )

    def step_mass_send(self, job):
        from ..engine import mark_in_flight

        mark_in_flight(job, "mass_send")
        msg_id = self.call(
            lambda token: self.client.mass_send_all(token, job.remote["draft_media_id"], job.idempotency_key)
        )
        job.remote["msg_id"] = msg_id
        return Done(JobState.PUBLISHED, msg_id, detail="已群发给关注用户")

    def step_delete(self, job):
        from ..engine import mark_in_flight

        mark_in_flight(job, "delete")
        try:
            self.call(lambda token: self.client.delete_published(token, job.payload["article_id"]))
        except ApiError as exc:
            if exc.code != 53600:
                raise
            return Done(JobState.DELETED, job.payload["article_id"], detail="平台上已不存在该文章")
        return Done(JobState.DELETED, job.payload["article_id"], detail="已从公众号删除")

    # Reconciling a call whose outcome is unknown ------------------------------------------------------

    def reconcile(self, job):
        return getattr(self, f"reconcile_{job.in_flight}")(job)

    def _matches(self, news_item, job):
        return (
            news_item.get("title") == job.payload["title"]
            and news_item.get("content_source_url") == job.payload["content_source_url"]
        )

    def _read(self, fn, tries=3):
        """A read-only call (a status, a list) may simply be asked again after a transient refusal."""
        import time

        for attempt in range(tries):
            try:
                return self.call(fn)
            except ApiError as exc:
                if exc.kind not in (Kind.TRANSIENT, Kind.UNKNOWN) or attempt == tries - 1:
                    raise
                time.sleep(0.1 * (attempt + 1))

    def _scan(self, fetch, since):
        """Drafts or articles, newest first, back to the moment the unknown call was made (``since``)."""
        for page in range(SCAN_PAGES):
            data = self._read(lambda token, page=page: fetch(token, offset=page * 20, count=20))
            items = data.get("item") or []
            yield from items
            if len(items) < 20 or items[-1].get("update_time", 0) < since:
                return

    @staticmethod
    def _since(job):
        """The moment the call in flight was made, less two minutes for clock skew, as a Unix time."""
        marked = job.in_flight_at or job.created_at
        return marked.timestamp() - 120

    def reconcile_draft(self, job):
        """Did draft/add create the draft? Look for it among the newest drafts."""
        from ..engine import clear_in_flight, save_progress

        for item in self._scan(self.client.batchget_drafts, self._since(job)):
            news = (item.get("content") or {}).get("news_item") or [{}]
            if self._matches(news[0], job):
                job.remote["draft_media_id"] = item["media_id"]
                job.step = "mass_send" if job.payload.get("mass_send") else "submit"
                break
        clear_in_flight(job)  # found: adopted; not found: draft/add did not happen and runs again
        job.add_history("draft", "reconciled", detail="found" if job.step != "draft" else "absent")
        save_progress(job)

    def reconcile_submit(self, job):
        """Did freepublish/submit take the draft? A submitted draft leaves the draft box."""
        from ..engine import clear_in_flight, save_progress

        try:
            self.call(lambda token: self.client.get_draft(token, job.remote["draft_media_id"]))
        except ApiError as exc:
            if exc.code != 40007:
                raise
        else:
            clear_in_flight(job)  # still a draft: the submit did not happen
            job.add_history("submit", "reconciled", detail="draft still in draft box")
            save_progress(job)
            return None
        since = self._since(job)
        known = set(
            SyndicationJob.objects.filter(account=self.account, state=JobState.PUBLISHED)
            .exclude(pk=job.pk)
            .values_list("remote_id", flat=True)
        )
        for item in self._scan(self.client.batchget_published, since):
            news = (item.get("content") or {}).get("news_item") or [{}]
            fresh = item.get("update_time", 0) >= since and item.get("article_id") not in known
            if self._matches(news[0], job) and fresh:
                job.add_history("submit", "reconciled", detail="found among published articles")
                return Done(
                    JobState.PUBLISHED, item["article_id"], news[0].get("url", ""), detail="核实后确认已发布"
                )
        job.remote["reconciles"] = job.remote.get("reconciles", 0) + 1
        if job.remote["reconciles"] > settings.SYNDICATION_RECONCILE_MAX_ATTEMPTS:
            return Failed(
                "已提交发布，但多次核实未找到发布结果：请在公众平台“发表记录”中核实后处理", "unknown"
            )
        return Later(
            settings.SYNDICATION_RECONCILE_SECONDS, JobState.RECONCILING, "已提交发布，正在核实发布结果"
        )

    def reconcile_mass_send(self, job):
        """The same clientmsgid within 24 h answers with the first msg_id, so calling again is the check."""
        from ..engine import clear_in_flight

        clear_in_flight(job)

    def reconcile_delete(self, job):
        from ..engine import clear_in_flight

        clear_in_flight(job)  # deleting twice answers 53600, which counts as deleted
