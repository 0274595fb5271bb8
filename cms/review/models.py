"""The editorial gate (审核把关): review stages, automated content checks and the record of what passed.

- ``AutomatedCheckTask`` and ``ReviewStageTask`` are Wagtail workflow tasks. The default workflow is
  自动检查 → 政治关 → 政策关（含保密审查）→ 文字关 (``setup.ensure_review_workflow``); administrators compose other
  sequences in Wagtail's workflow editor and assign them to a department (a page subtree) or to a column.
- ``TermRule`` is the maintained dictionary behind the checks (political terms, leaders' names and titles,
  错别字, sensitive words, the external-link allowlist), edited as a snippet and imported/exported as CSV.
- ``CheckReport`` keeps each run of the checks, so the editor shows findings for the draft under review.
- ``GateRelease`` is the gate's one event: a page went live through the gate (page, revision, approvals). The
  syndication pipeline consumes it. ``GateBypass`` records every publish that skipped human review, with reason.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, Page, Task, TaskState

from cms.core import units


class Severity(models.TextChoices):
    BLOCK = "block", _("阻止发布")
    WARN = "warn", _("提示")


class TermKind(models.TextChoices):
    """What a dictionary entry guards against; each kind has a default severity (严重表述错误、错别字、敏感词 and 不良外链, 国办秘函〔2019〕19号)."""

    POLITICAL = "political", _("政治表述")
    LEADER = "leader", _("领导人姓名职务")
    TYPO = "typo", _("常见错别字")
    SENSITIVE = "sensitive", _("敏感词违禁词")
    LINK_ALLOW = "link_allow", _("外链白名单")


DEFAULT_SEVERITY = {
    TermKind.POLITICAL: Severity.BLOCK,
    TermKind.LEADER: Severity.BLOCK,
    TermKind.TYPO: Severity.WARN,
    TermKind.SENSITIVE: Severity.BLOCK,
    TermKind.LINK_ALLOW: Severity.WARN,
}


class TermRule(models.Model):
    kind = models.CharField(_("类别"), max_length=16, choices=TermKind.choices, db_index=True)
    term = models.CharField(
        _("词条"),
        max_length=200,
        help_text=_("要查找的错误写法或敏感词；外链白名单填写域名（如 gov.cn 表示所有 *.gov.cn）。"),
    )
    suggestion = models.CharField(_("正确写法"), max_length=200, blank=True)
    is_regex = models.BooleanField(_("正则表达式"), default=False)
    exceptions = models.TextField(
        _("例外语境"),
        blank=True,
        help_text=_("每行一个。命中处落在这些词语之内时不报告，例如错别字“烈土”的例外“热烈土”。"),
    )
    severity = models.CharField(
        _("处理方式"), max_length=8, choices=Severity.choices, blank=True, help_text=_("留空则按类别默认")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("审核词库词条")
        verbose_name_plural = _("审核词库")
        ordering = ["kind", "term"]
        constraints = [models.UniqueConstraint(fields=["kind", "term"], name="review_termrule_kind_term")]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.term}"

    @property
    def effective_severity(self):
        return self.severity or DEFAULT_SEVERITY[self.kind]

    @property
    def exception_list(self):
        return [line.strip() for line in self.exceptions.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        if self.is_regex:
            import re

            try:
                re.compile(self.term)
            except re.error as exc:
                raise ValidationError({"term": _("正则表达式无效：%(error)s") % {"error": exc}}) from exc


class DocumentText(models.Model):
    """Text extracted from an attached document, cached by file hash so re-checks do not re-parse PDFs."""

    document = models.OneToOneField(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="review_text", primary_key=True
    )
    file_hash = models.CharField(max_length=40)
    pages = models.JSONField(default=list)
    error = models.CharField(max_length=200, blank=True)
    extracted_at = models.DateTimeField(auto_now=True)


class CheckReport(models.Model):
    class Trigger(models.TextChoices):
        EDITOR = "editor", _("编辑检查")
        SUBMIT = "submit", _("提交审核")
        WORKFLOW = "workflow", _("流程自动检查")
        PUBLISH = "publish", _("发布前检查")

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="check_reports")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(_("触发"), max_length=10, choices=Trigger.choices)
    created_at = models.DateTimeField(_("检查时间"), auto_now_add=True)
    findings = models.JSONField(default=list)
    blocking_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["page", "-created_at"], name="review_report_page_recent")]

    @property
    def passed(self):
        return self.blocking_count == 0


class AutomatedCheckTask(Task):
    """Runs the content checks on the submitted revision; blocking findings send the page back to its editor."""

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("自动内容检查")
        verbose_name_plural = _("自动内容检查")

    def start(self, workflow_state, user=None):
        from .gate import run_workflow_checks

        task_state = super().start(workflow_state, user=user)
        run_workflow_checks(task_state, user)
        return task_state

    def get_actions(self, obj, user):
        return []

    @classmethod
    def get_description(cls):
        return _("提交后自动检查表述、错别字、敏感词、个人信息、链接和元数据；有必须修改的问题则退回。")


class ReviewStage(models.TextChoices):
    POLITICAL = "political", _("政治关")
    POLICY = "policy", _("政策关（含保密审查）")
    LEGAL = "legal", _("法律关")
    SECRECY = "secrecy", _("保密关")
    TEXT = "text", _("文字关")


class ReviewStageTask(AbstractGroupApprovalTask):
    """One human review stage: approved by the chosen groups and/or the page's own department reviewers."""

    stage = models.CharField(_("审核关口"), max_length=12, choices=ReviewStage.choices)
    include_department_reviewers = models.BooleanField(
        _("由本部门审核人员审核"),
        default=False,
        help_text=_("勾选后，内容所属部门的“·审核”组成员也可审核本关。"),
    )
    groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="review_stage_tasks",
        verbose_name=_("审核组"),
        help_text=_("局级审核组，例如政策法规审核、办公室文字审核。"),
    )

    admin_form_fields = Task.admin_form_fields + ["stage", "include_department_reviewers", "groups"]

    class Meta:
        verbose_name = _("审核关口")
        verbose_name_plural = _("审核关口")

    # Who may act ------------------------------------------------------------------------------------

    def _department_reviewer(self, obj, user):
        if not self.include_department_reviewers:
            return False
        unit = units.containing(obj)
        group_id = unit.reviewers_group_id if unit else None
        return bool(group_id) and user.groups.filter(pk=group_id).exists()

    def user_is_reviewer(self, obj, user):
        return user.is_superuser or self._user_in_groups(user) or self._department_reviewer(obj, user)

    def user_can_access_editor(self, obj, user):
        return self.user_is_reviewer(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_is_reviewer(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_is_reviewer(obj, user)

    def get_actions(self, obj, user):
        from .gate import may_act_on_stage

        if not (self.user_is_reviewer(obj, user) and may_act_on_stage(obj, user)):
            return []
        return [
            ("reject", _("退回修改"), True),
            ("approve", _("审核通过"), False),
            ("approve", _("通过并附意见"), True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        from .gate import approve_stage

        # Wagtail's workflow views treat a return value as a redirect URL: return nothing.
        if action_name == "approve":
            approve_stage(self, task_state, user, comment=kwargs.get("comment", ""))
        else:
            super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser or self._user_in_groups(user):
            return states
        if not self.include_department_reviewers:
            return TaskState.objects.none()
        paths = list(units.reviewed_by(user).values_list("path", flat=True))
        if not paths:
            return TaskState.objects.none()
        in_departments = Q()
        for path in paths:
            in_departments |= Q(path__startswith=path)
        page_ids = (
            Page.objects.filter(in_departments)
            .annotate(pk_text=Cast("pk", models.CharField(max_length=255)))
            .values("pk_text")
        )
        return states.filter(workflow_state__object_id__in=page_ids)

    @classmethod
    def get_description(cls):
        return _("由指定审核组或内容所属部门的审核人员审核本关；同一人不能在同一轮审核中通过两关。")


class GateBypass(models.Model):
    """A publish that skipped the human review stages: allowed to superusers only, always with a reason."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("理由"), max_length=300)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("绕过审核发布")
        verbose_name_plural = _("绕过审核发布")
        ordering = ["-created_at"]


class GateRelease(models.Model):
    """The gate's event: this revision was approved through the gate and is now live."""

    class Via(models.TextChoices):
        WORKFLOW = "workflow", _("审核流程")
        PAIRED = "paired", _("随政策文件同步发布")

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="gate_releases")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")
    workflow_state = models.ForeignKey(
        "wagtailcore.WorkflowState", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    paired_with = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approvals = models.JSONField(default=list)
    released_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("审核发布事件")
        verbose_name_plural = _("审核发布事件")
        ordering = ["-released_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["revision"], name="review_release_once_per_revision")]


class ApprovedCompanion(models.Model):
    """A companion's revision that a workflow run approved together with its page (同步审核): the revision that
    goes live with the page, whenever the page goes live (at once, at a scheduled time, or republished)."""

    workflow_state = models.ForeignKey(
        "wagtailcore.WorkflowState", on_delete=models.CASCADE, related_name="+"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("同步审核的关联页面")
        verbose_name_plural = _("同步审核的关联页面")
        constraints = [
            models.UniqueConstraint(fields=["workflow_state", "page"], name="review_companion_once_per_run")
        ]
