from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem, MenuItem
from wagtail.snippets.models import register_snippet

from . import admin_guards, views
from .dictionary_admin import TermRuleViewSet
from .gate import GatedPageMixin
from .models import GateBypass

register_snippet(TermRuleViewSet)


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action("review.checks_passed", _("自动检查通过"), _("自动内容检查通过"))
    actions.register_action("review.checks_failed", _("自动检查未通过"), _("自动内容检查未通过，已退回"))
    actions.register_action("review.released", _("审核通过并发布"), _("通过审核流程发布"))
    actions.register_action("review.bypass", _("绕过审核发布"), _("超级管理员绕过审核直接发布"))
    actions.register_action("review.scheduled_refused", _("定时发布被拒绝"), _("定时发布时未通过审核检查"))
    actions.register_action("review.expiry_refused", _("定时撤下被拒绝"), _("定时撤下违反页面规则，已取消"))


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("review/check/<int:page_id>/", views.check_page, name="review_check_page"),
        path("review/statistics/", views.statistics_view, name="review_statistics"),
        path("review/bypass/", views.bypass_report, name="review_bypass_report"),
    ]


def _record_bypass(request, page):
    """The editor's Publish button is a bypass of the review stages: record who, why and which revision.

    Only superusers may bypass (the form has required their reason). Anyone else holding a publish
    permission gets their draft saved and is sent back to submit it for review.
    """
    if not request.POST.get("action-publish") or not isinstance(page, GatedPageMixin):
        return None
    if not request.user.is_superuser:
        messages.error(request, _("发布须经审核流程：草稿已保存，请在“更多动作”中提交审核流程。"))
        return redirect("wagtailadmin_pages:edit", page.pk)
    reason = (request.POST.get("gate_bypass_reason") or "").strip()
    if reason and page.latest_revision_id:
        GateBypass.objects.get_or_create(
            page_id=page.pk,
            revision_id=page.latest_revision_id,
            defaults={"user": request.user, "reason": reason},
        )
    return None


hooks.register("before_publish_page", _record_bypass)


@hooks.register("after_edit_page")
def after_review_action(request, page):
    """After a reviewer acts from the editor, say what happened and return to 待我审核.

    Wagtail would send them to the unit's page list, which bureau-level reviewers are not allowed to browse.
    """
    if not request.POST.get("action-workflow-action") or not isinstance(page, GatedPageMixin):
        return None
    return admin_guards.review_outcome(request, page)


@hooks.register("construct_homepage_panels")
def pending_reviews_panel(request, panels):
    panels[:] = [p for p in panels if getattr(p, "name", "") != "workflow_objects_to_moderate"]
    panels.insert(0, views.PendingReviewsPanel(request))


class _ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return user.is_superuser or user.groups.filter(review_stage_tasks__isnull=False).exists()


@hooks.register("register_reports_menu_item")
def register_statistics_report():
    return _ReviewerMenuItem(_("审核统计"), reverse("review_statistics"), icon_name="tasks", order=900)


@hooks.register("register_reports_menu_item")
def register_bypass_report():
    return AdminOnlyMenuItem(
        _("绕过审核发布"), reverse("review_bypass_report"), icon_name="warning", order=910
    )


hooks.register("before_bulk_action", admin_guards.bulk_action)
hooks.register("before_unpublish_page", admin_guards.unpublish_page)
hooks.register("before_move_page", admin_guards.move_page)
hooks.register("construct_page_action_menu", admin_guards.reviewer_action_menu)
hooks.register("before_edit_page", admin_guards.reviewer_post)
