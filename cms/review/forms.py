"""The editor form of gated pages: the gate's refusals become form errors, so nothing typed is lost."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm

from . import gate
from .models import CheckReport


class GatedPageForm(WagtailAdminPageForm):
    gate_bypass_reason = forms.CharField(
        label=gettext_lazy("直接发布理由（绕过审核）"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "仅超级管理员可直接发布；须写明理由，理由将记入审计日志和“绕过审核发布”报表。"
        ),
    )

    def gate_action(self):
        data = self.data
        if data.get("action-publish") and self.for_user.is_superuser:
            return "publish"
        if data.get("action-submit") or data.get("action-restart-workflow"):
            return "submit"
        return None

    def clean(self):
        cleaned = super().clean()
        go_live_at = cleaned.get("go_live_at")
        if (
            "go_live_at" in self.changed_data
            and go_live_at
            and go_live_at < timezone.now() - timezone.timedelta(minutes=1)
        ):
            self.add_error("go_live_at", _("定时发布时间不能早于当前时间（发布日期不得倒签）。"))
        # Wagtail ignores a Publish from users without publish permission (it saves a draft instead); those
        # who have it but are not superusers are stopped by the before_publish_page hook.
        if self.gate_action() == "publish" and self.for_user.is_superuser:
            if not (cleaned.get("gate_bypass_reason") or "").strip():
                self.add_error(
                    "gate_bypass_reason",
                    _("直接发布会绕过三审流程，请填写理由（例如：紧急信息经局长口头批准）；否则请提交审核。"),
                )
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None:
            # Wagtail's create view adds a page it is about to publish as already live; here it is added as a
            # draft and goes live when its revision is published, the one path the gate watches.
            self.instance.live = False
        return super().save(commit=commit)

    def _attached_documents(self):
        formset = self.formsets.get("attachments") if hasattr(self, "formsets") else None
        if formset is None:
            return None
        documents = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("document") and not data.get("DELETE"):
                documents.append(data["document"])
        return documents

    def is_valid(self):
        valid = super().is_valid()
        action = self.gate_action()
        if not valid or action is None:
            return valid
        page = self.instance
        problems = gate.rule_problems(page, submitting=action == "submit")
        for problem in problems:
            self.add_error(None, problem)
        report = gate.run_checks(
            page,
            CheckReport.Trigger.SUBMIT if action == "submit" else CheckReport.Trigger.PUBLISH,
            attachments=self._attached_documents(),
        )
        self.check_report = report
        if not report.passed:
            self.add_error(
                None,
                _("内容检查发现 %(n)d 个必须修改的问题，已阻止%(action)s：%(summary)s")
                % {
                    "n": report.blocking_count,
                    "action": _("提交") if action == "submit" else _("发布"),
                    "summary": gate.summarize(report),
                },
            )
        return not self.errors
