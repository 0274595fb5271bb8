from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from . import views
from .admin_views import JobPermissionPolicy, SyndicationViewSetGroup
from .models import FINAL_STATES, JobState, SyndicationJob

register_permission_policy(SyndicationJob, JobPermissionPolicy(SyndicationJob))


@hooks.register("register_admin_viewset")
def register_syndication_viewsets():
    return SyndicationViewSetGroup()


@hooks.register("register_admin_urls")
def register_syndication_urls():
    return [
        path("syndication/jobs/<int:job_id>/retry/", views.job_retry, name="syndication_job_retry"),
        path(
            "syndication/jobs/<int:job_id>/manual-done/",
            views.job_manual_done,
            name="syndication_job_manual_done",
        ),
        path("syndication/pages/<int:page_id>/status/", views.job_status, name="syndication_page_status"),
        path(
            "syndication/accounts/<int:account_id>/weibo/authorize/",
            views.weibo_authorize,
            name="syndication_weibo_authorize",
        ),
        path(
            "syndication/accounts/<int:account_id>/restore/",
            views.account_restore,
            name="syndication_account_restore",
        ),
        path("syndication/weibo/callback/", views.weibo_callback, name="syndication_weibo_callback"),
    ]


@hooks.register("register_log_actions")
def register_syndication_log_actions(actions):
    actions.register_action("syndication.published", _("已推送到新媒体"), _("已推送到微信公众号或微博"))
    actions.register_action("syndication.failed", _("新媒体推送失败"), _("新媒体推送失败，已通知编辑"))
    actions.register_action("syndication.deleted", _("已从新媒体删除"), _("页面撤下后已删除公众号文章"))
    actions.register_action("syndication.manual_done", _("新媒体已手动处理"), _("已在平台上手动删除"))
    actions.register_action("syndication.authorized", _("微博账号已授权"), _("微博账号已重新授权"))


class SyndicationProblemsPanel(Component):
    """Dashboard: the user's pages whose push failed or waits on an account problem."""

    name = "syndication_problems"
    order = 120
    template_name = "syndication/panels/dashboard.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        policy = JobPermissionPolicy(SyndicationJob)
        jobs = (
            policy.instances_user_has_permission_for(self.request.user, "view")
            .filter(state__in=(JobState.FAILED, JobState.HELD), manual_done_at__isnull=True)
            .select_related("page", "account")
            .order_by("-updated_at")
        )
        manual = (
            policy.instances_user_has_permission_for(self.request.user, "view")
            .filter(state__in=FINAL_STATES, manual_done_at__isnull=True)
            .exclude(manual_action="")
        )
        return {
            "jobs": list(jobs[:8]),
            "count": jobs.count(),
            "manual": list(manual.select_related("page", "account")[:8]),
        }

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["count"] and not context["manual"]:
            return ""
        return super().render_html(parent_context)


@hooks.register("construct_homepage_panels")
def syndication_dashboard_panel(request, panels):
    panels.append(SyndicationProblemsPanel(request))
