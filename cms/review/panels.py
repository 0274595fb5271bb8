"""Editor panels of gated pages: the findings of the content checks, and the superuser's bypass reason."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList, Panel, TabbedInterface

from .models import CheckReport

GATE_PANELS = [FieldPanel("gate_bypass_reason", permission="superuser")]


def gated_edit_handler(content_panels, *tabs, form_class=None):
    """The editor of a page behind the review gate: 内容 with the check findings first, then ``tabs``
    (``ObjectList``s such as 公开属性 or 新媒体), 推广, and 设置 with the superuser's bypass reason."""
    from wagtail.models import Page

    from .forms import GatedPageForm

    return TabbedInterface(
        [
            ObjectList([ContentCheckPanel(), *content_panels], heading=_("内容")),
            *tabs,
            ObjectList(Page.promote_panels, heading=_("推广")),
            ObjectList(Page.settings_panels + GATE_PANELS, heading=_("设置")),
        ],
        base_form_class=form_class or GatedPageForm,
    )


def _highlighted(finding):
    context, match = finding.get("context") or "", finding.get("match") or ""
    index = context.find(match) if match else -1
    if index < 0:
        return {"before": context, "match": "", "after": ""}
    return {"before": context[:index], "match": match, "after": context[index + len(match) :]}


class ContentCheckPanel(Panel):
    """The latest check report of this page: each finding with where it is, what is wrong and the fix."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "review/panels/content_check.html"

        def is_shown(self):
            return True

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            report = getattr(self.form, "check_report", None)
            if report is None and self.instance.pk:
                report = CheckReport.objects.filter(page_id=self.instance.pk).first()
            context["report"] = report
            context["findings"] = [
                {**finding, **_highlighted(finding)} for finding in (report.findings if report else [])
            ]
            context["page_id"] = self.instance.pk
            return context
