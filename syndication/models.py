"""New-media syndication: accounts, each page's opt-in per channel, and the outbox of jobs.

- ``Account``: one WeChat official account or Weibo account (the bureau's, or a department's), managed in the
  admin. Its AppSecret lives in the environment (``SYNDICATION_SECRET_<secret_name>``), never in the database or
  the repository; a Weibo user token obtained through OAuth and WeChat's cached access token are runtime state.
- ``WeChatTarget`` / ``WeiboTarget``: the page's 新媒体 tab. They are inline children of the page, so they are part
  of every revision and pass the review gate with it: what reviewers approve is what is pushed.
- ``SyndicationJob``: the transactional outbox. One row per (page revision, account, action), written in the
  same transaction as the gate's release, unique, so approving twice makes one job. Each remote id is stored
  before the next remote call; ``in_flight`` marks a call whose outcome is not known yet.
- ``WeChatEvent``: PUBLISHJOBFINISH pushes already handled (WeChat may send one up to four times).
"""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable


class Channel(models.TextChoices):
    WECHAT = "wechat", _("微信公众号")
    WEIBO = "weibo", _("微博")


class RepublishPolicy(models.TextChoices):
    NEW_POST = "new_post", _("修改后重新发布时推送新文章")
    NONE = "none", _("只推送首次发布，修改后不再推送")


class AccountStatus(models.TextChoices):
    OK = "ok", _("正常")
    NEEDS_REAUTH = "needs_reauth", _("需重新授权")
    ERROR = "error", _("配置异常")


class Account(models.Model):
    channel = models.CharField(_("平台"), max_length=10, choices=Channel.choices)
    name = models.CharField(_("账号名称"), max_length=60, help_text=_("例如：宿迁交通、宿迁交通运输执法"))
    department = models.ForeignKey(
        "departments.DepartmentPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("所属部门"),
        help_text=_("留空表示局账号，各部门均可选用；填写则只有该部门的信息可推送到此账号。"),
    )
    app_id = models.CharField(
        _("AppID / App Key"), max_length=64, help_text=_("微信公众号的 AppID，或微博应用的 App Key。")
    )
    secret_name = models.CharField(
        _("密钥名称"),
        max_length=40,
        help_text=_(
            "AppSecret 保存在服务器环境变量 SYNDICATION_SECRET_<密钥名称> 中，不保存在数据库里。"
            "微信服务器配置的 Token 保存在 SYNDICATION_SECRET_<密钥名称>_TOKEN。"
        ),
    )
    active = models.BooleanField(_("启用"), default=True)
    republish_policy = models.CharField(
        _("修改后重新发布"), max_length=10, choices=RepublishPolicy.choices, default=RepublishPolicy.NONE
    )
    managers = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("账号管理员组"),
        help_text=_("授权过期、配置异常时通知的人员；留空则通知所属部门的审核人员和系统管理员。"),
    )

    # WeChat
    default_author = models.CharField(_("默认作者"), max_length=16, blank=True)
    default_cover = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("默认封面"),
        help_text=_("页面未选封面时使用。"),
    )
    mass_send_allowed = models.BooleanField(
        _("允许群发"),
        default=False,
        help_text=_("订阅号每天可群发 1 次，服务号每月 4 次；群发会推送给全部关注用户。"),
    )

    # Weibo
    safe_domain = models.CharField(
        _("安全域名"),
        max_length=100,
        blank=True,
        help_text=_("微博应用绑定并审核通过的安全域名，例如 jtj.suqian.gov.cn"),
    )
    posts_per_hour = models.PositiveIntegerField(
        _("每小时发布上限"),
        default=30,
        help_text=_("微博对每个授权用户的发布频次限制，超出后顺延到下一小时。"),
    )
    weibo_uid = models.CharField(_("微博用户 UID"), max_length=20, blank=True, editable=False)
    weibo_access_token = models.CharField(max_length=200, blank=True, editable=False)
    weibo_token_expires_at = models.DateTimeField(_("授权到期时间"), null=True, blank=True, editable=False)

    # WeChat's access token, shared by every worker (refreshed single-flight under a row lock)
    wechat_access_token = models.CharField(max_length=600, blank=True, editable=False)
    wechat_token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    status = models.CharField(
        _("账号状态"), max_length=16, choices=AccountStatus.choices, default=AccountStatus.OK, editable=False
    )
    status_reason = models.CharField(_("状态说明"), max_length=300, blank=True, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(_("已通知"), null=True, blank=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("channel"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("app_id"), FieldPanel("secret_name")]),
        FieldRowPanel([FieldPanel("department"), FieldPanel("managers")]),
        FieldRowPanel([FieldPanel("active"), FieldPanel("republish_policy")]),
        MultiFieldPanel(
            [FieldPanel("default_author"), FieldPanel("default_cover"), FieldPanel("mass_send_allowed")],
            heading=_("微信公众号"),
        ),
        MultiFieldPanel([FieldPanel("safe_domain"), FieldPanel("posts_per_hour")], heading=_("微博")),
    ]

    class Meta:
        verbose_name = _("新媒体账号")
        verbose_name_plural = _("新媒体账号")
        ordering = ["channel", "name"]
        constraints = [models.UniqueConstraint(fields=["channel", "app_id"], name="syndication_account_app")]

    def __str__(self):
        return f"{self.get_channel_display()}·{self.name}"

    # Credentials ------------------------------------------------------------------------------------

    def secret(self):
        return settings.SYNDICATION_SECRETS.get(self.secret_name, "")

    def callback_token(self):
        return settings.SYNDICATION_SECRETS.get(f"{self.secret_name}_TOKEN", "")

    @property
    def has_secret(self):
        return bool(self.secret())

    @property
    def weibo_authorized(self):
        return bool(self.weibo_access_token) and (
            self.weibo_token_expires_at is None or self.weibo_token_expires_at > timezone.now()
        )

    def available_to(self, department):
        return self.active and (
            self.department_id is None or (department is not None and department.pk == self.department_id)
        )


class SyndicationTargetBase(Orderable):
    """One account a page is pushed to, with the text adapted for that platform."""

    class Meta(Orderable.Meta):
        abstract = True

    @cached_property
    def resolved_account(self):
        return Account.objects.filter(pk=self.account_id).first() if self.account_id else None


class WeChatTarget(SyndicationTargetBase):
    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="wechat_targets")
    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"channel": Channel.WECHAT, "active": True},
        verbose_name=_("公众号"),
    )
    title = models.CharField(
        _("微信标题"), max_length=32, blank=True, help_text=_("不超过32字；留空则使用页面标题。")
    )
    digest = models.CharField(
        _("摘要"), max_length=128, blank=True, help_text=_("不超过128字；留空则使用内容概述。")
    )
    author = models.CharField(
        _("作者"), max_length=16, blank=True, help_text=_("不超过16字；留空则使用账号默认作者或部门简称。")
    )
    cover = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("封面图片"),
        help_text=_("留空则使用账号的默认封面。"),
    )
    mass_send = models.BooleanField(
        _("群发给关注用户"),
        default=False,
        help_text=_("不勾选则只“发布”（不推送给关注用户、不占群发次数）。"),
    )

    panels = [
        FieldPanel("account"),
        FieldPanel("title"),
        FieldPanel("digest"),
        FieldRowPanel([FieldPanel("author"), FieldPanel("mass_send")]),
        FieldPanel("cover"),
    ]

    class Meta(SyndicationTargetBase.Meta):
        verbose_name = _("微信公众号推送")
        verbose_name_plural = _("微信公众号推送")


class WeiboTarget(SyndicationTargetBase):
    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="weibo_targets")
    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"channel": Channel.WEIBO, "active": True},
        verbose_name=_("微博账号"),
    )
    text = models.TextField(
        _("微博正文"),
        max_length=400,
        blank=True,
        help_text=_(
            "留空则使用页面标题。系统会在末尾自动附上页面链接；连同链接不超过140字（英文、数字按半字计）。"
        ),
    )
    picture = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("配图"),
    )

    panels = [FieldPanel("account"), FieldPanel("text"), FieldPanel("picture")]

    class Meta(SyndicationTargetBase.Meta):
        verbose_name = _("微博推送")
        verbose_name_plural = _("微博推送")


class JobState(models.TextChoices):
    PENDING = "pending", _("待推送")
    WAITING = "waiting", _("等待重试")
    SUBMITTED = "submitted", _("已提交，等待平台结果")
    RECONCILING = "reconciling", _("结果待核实")
    HELD = "held", _("账号待处理")
    PUBLISHED = "published", _("已发布")
    DELETED = "deleted", _("已删除")
    REMOVED = "removed", _("已被平台删除")
    FAILED = "failed", _("失败")
    SKIPPED = "skipped", _("不推送")
    CANCELLED = "cancelled", _("已取消")


ACTIVE_STATES = (JobState.PENDING, JobState.WAITING, JobState.SUBMITTED, JobState.RECONCILING)
FINAL_STATES = (
    JobState.PUBLISHED,
    JobState.DELETED,
    JobState.REMOVED,
    JobState.FAILED,
    JobState.SKIPPED,
    JobState.CANCELLED,
)


class JobAction(models.TextChoices):
    PUBLISH = "publish", _("发布")
    WITHDRAW = "withdraw", _("撤回")


class SyndicationJobQuerySet(models.QuerySet):
    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def due(self, now=None):
        """Active jobs whose next attempt has come and that no live worker holds."""
        now = now or timezone.now()
        return (
            self.active()
            .filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
            .filter(models.Q(lease_until__isnull=True) | models.Q(lease_until__lt=now))
        )

    def latest_per_account(self):
        """Each account's newest job (for a page's status panel)."""
        seen, out = set(), []
        for job in self.select_related("account").order_by("-created_at", "-pk"):
            if (job.account_id, job.action) not in seen:
                seen.add((job.account_id, job.action))
                out.append(job)
        return out


STEP_LABELS = {
    "prepare": _("准备内容"),
    "images": _("上传正文图片"),
    "cover": _("上传封面"),
    "token": _("获取访问令牌"),
    "draft": _("创建草稿"),
    "submit": _("提交发布"),
    "poll": _("查询发布结果"),
    "mass_send": _("群发"),
    "delete": _("删除文章"),
    "share": _("发布微博"),
    "reconcile": _("核实结果"),
    "oauth": _("微博授权"),
    "manual": _("人工处理"),
}
OUTCOME_LABELS = {
    "transient": _("暂时失败，稍后重试"),
    "quota": _("达到限额，顺延"),
    "token": _("令牌失效"),
    "reauth": _("需重新授权"),
    "account": _("账号异常"),
    "permanent": _("平台拒绝"),
    "unknown": _("结果未知，待核实"),
    "reconciled": _("已核实"),
    "retry": _("安全重试"),
    "error": _("内部错误"),
    "done": _("已处理"),
}


class SyndicationJob(models.Model):
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="syndication_jobs", verbose_name=_("页面")
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="+", verbose_name=_("版本")
    )
    release = models.ForeignKey(
        "review.GateRelease",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="syndication_jobs",
        verbose_name=_("审核发布事件"),
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("账号")
    )
    channel = models.CharField(_("平台"), max_length=10, choices=Channel.choices, db_index=True)
    urgent = models.BooleanField(
        _("优先推送"),
        default=False,
        help_text=_("突发事件等紧急信息：走优先队列，不排在其他推送之后。"),
    )
    action = models.CharField(_("操作"), max_length=10, choices=JobAction.choices, default=JobAction.PUBLISH)
    state = models.CharField(
        _("状态"), max_length=12, choices=JobState.choices, default=JobState.PENDING, db_index=True
    )
    step = models.CharField(_("当前步骤"), max_length=20, default="prepare")
    in_flight = models.CharField(_("结果未知的调用"), max_length=20, blank=True)
    in_flight_at = models.DateTimeField(null=True, blank=True)

    payload = models.JSONField(default=dict, blank=True)
    remote = models.JSONField(default=dict, blank=True)
    publish_id = models.CharField(max_length=64, blank=True, db_index=True)
    remote_id = models.CharField(_("平台编号"), max_length=128, blank=True)
    remote_url = models.URLField(_("链接"), max_length=500, blank=True)

    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=100, blank=True)
    error_kind = models.CharField(max_length=12, blank=True)
    last_error_code = models.CharField(_("错误码"), max_length=40, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    history = models.JSONField(default=list, blank=True)
    manual_action = models.CharField(_("需人工处理"), max_length=300, blank=True)
    manual_done_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = SyndicationJobQuerySet.as_manager()
    # Jobs change many times a minute; what they point to (page, revision) is not "usage" worth indexing.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("新媒体推送任务")
        verbose_name_plural = _("新媒体发布")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "account", "action"], name="syndication_job_once")
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="syndication_job_due")]

    def __str__(self):
        return f"《{self.page.title}》→ {self.account}（{self.get_state_display()}）"

    @property
    def step_label(self):
        return STEP_LABELS.get(self.step, self.step)

    def history_rows(self):
        """The history, newest first, in words and at local time."""
        rows = []
        for entry in reversed(self.history or []):
            try:
                at = timezone.localtime(datetime.datetime.fromisoformat(entry["at"]))
            except (KeyError, ValueError):
                at = None
            outcome = entry.get("outcome", "")
            label = OUTCOME_LABELS.get(outcome) or (
                JobState(outcome).label if outcome in JobState.values else outcome
            )
            step = entry.get("step", "")
            rows.append(
                {
                    "at": at,
                    "step": STEP_LABELS.get(step, step),
                    "outcome": label,
                    "code": entry.get("code", ""),
                    "detail": entry.get("detail", ""),
                }
            )
        return rows

    @property
    def idempotency_key(self):
        """sha256(channel:account:page:revision:action), short enough for WeChat's 64-byte clientmsgid."""
        raw = f"{self.channel}:{self.account_id}:{self.page_id}:{self.revision_id}:{self.action}"
        return hashlib.sha256(raw.encode()).hexdigest()[:40]

    @property
    def is_final(self):
        return self.state in FINAL_STATES

    @property
    def is_leased(self):
        return bool(self.lease_until and self.lease_until > timezone.now())

    @property
    def can_retry(self):
        return self.state in (JobState.FAILED, JobState.HELD, JobState.RECONCILING, JobState.WAITING)

    def add_history(self, step, outcome, code="", detail=""):
        entry = {"at": timezone.now().isoformat(timespec="seconds"), "step": step, "outcome": outcome}
        if code:
            entry["code"] = str(code)
        if detail:
            entry["detail"] = str(detail)[:300]
        self.history = (self.history or [])[-49:] + [entry]


class WeChatEvent(models.Model):
    """A PUBLISHJOBFINISH push already handled; WeChat's duplicates are recognised by FromUserName+CreateTime."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    from_user = models.CharField(max_length=64)
    create_time = models.BigIntegerField()
    event = models.CharField(max_length=40)
    publish_id = models.CharField(max_length=64, blank=True)
    publish_status = models.IntegerField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    wagtail_reference_index_ignore = True

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "from_user", "create_time"], name="syndication_event_once"
            )
        ]
