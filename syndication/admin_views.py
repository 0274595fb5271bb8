"""The admin's 新媒体 section: the jobs (新媒体发布) and the accounts (新媒体账号), as Wagtail viewsets."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import Account, JobState, SyndicationJob


class JobPermissionPolicy(BasePermissionPolicy):
    """Jobs are the system's record of what was pushed: nobody adds, edits or deletes them by hand. A user sees the
    jobs of the pages they may edit (a department's editors see their unit's); superusers see all."""

    def user_has_permission(self, user, action):
        return (
            action == "view"
            and user.is_active
            and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
        )

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if "view" not in actions:
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True) | Q(groups__permissions__codename="access_admin"), is_active=True
        ).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])

    def user_has_permission_for_instance(self, user, action, instance):
        if action != "view" or not self.user_has_permission(user, "view"):
            return False
        return user.is_superuser or instance.page.permissions_for_user(user).can_edit()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" not in actions or not self.user_has_permission(user, "view"):
            return SyndicationJob.objects.none()
        if user.is_superuser:
            return SyndicationJob.objects.all()
        pages = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
        return SyndicationJob.objects.filter(page__in=pages.values("pk"))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


def state_tag(job):
    """Wagtail's status tag: filled for a post that is out, outlined otherwise."""
    label = job.get_state_display()
    if job.is_leased and not job.is_final:
        label = _("推送中")
    filled = job.state in (JobState.PUBLISHED, JobState.DELETED)
    return format_html(
        '<span class="w-status {}" style="white-space:nowrap" data-job-state="{}">{}</span>',
        "w-status--primary" if filled else "w-status--label",
        job.state,
        label,
    )


def live_link(job):
    if not job.remote_url:
        return ""
    label = _("查看微博") if job.channel == "weibo" else _("查看文章")
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', job.remote_url, label)


class JobIndexView(IndexView):
    def get_base_queryset(self):
        policy = JobPermissionPolicy(SyndicationJob)
        return (
            policy.instances_user_has_permission_for(self.request.user, "view")
            .select_related("page", "account")
            .order_by("-created_at", "-pk")
        )


class JobInspectView(InspectView):
    template_name = "syndication/admin/job_inspect.html"

    def get_object(self, queryset=None):
        from django.core.exceptions import PermissionDenied

        job = super().get_object(queryset)
        if not JobPermissionPolicy(SyndicationJob).user_has_permission_for_instance(
            self.request.user, "view", job
        ):
            raise PermissionDenied
        return job

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.object
        context["job"] = job
        context["history"] = job.history_rows()
        context["state_tag"] = state_tag(job)
        context["live_link"] = live_link(job)
        context["page_edit_url"] = reverse("wagtailadmin_pages:edit", args=[job.page_id])
        return context


class SyndicationJobViewSet(ModelViewSet):
    model = SyndicationJob
    icon = "pick"
    menu_label = _("新媒体发布")
    menu_order = 100
    url_prefix = "syndication/jobs"
    name = "syndication_job"
    index_view_class = JobIndexView
    inspect_view_class = JobInspectView
    inspect_view_enabled = True
    form_fields = []  # no add or edit: the permission policy refuses both
    list_filter = ["state", "channel", "account", "action", "created_at"]
    search_fields = ["page__title", "remote_id", "last_error"]
    list_per_page = 50
    inspect_view_fields = [
        "page",
        "account",
        "action",
        "state",
        "attempts",
        "last_error",
        "last_error_code",
        "remote_id",
        "remote_url",
        "manual_action",
    ]

    @property
    def list_display(self):
        return [
            TitleColumn(
                "page",
                label=_("页面"),
                accessor="page",
                get_url=lambda job: reverse("syndication_job:inspect", args=[job.pk]),
            ),
            Column("account", label=_("账号")),
            Column("action", label=_("操作"), accessor="get_action_display"),
            Column("state", label=_("状态"), accessor=state_tag),
            Column("attempts", label=_("尝试次数")),
            Column("last_error", label=_("最近错误")),
            Column("remote_url", label=_("链接"), accessor=live_link),
            DateColumn("updated_at", label=_("更新时间")),
        ]


class AccountViewSet(ModelViewSet):
    model = Account
    icon = "user"
    menu_label = _("新媒体账号")
    menu_order = 200
    url_prefix = "syndication/accounts"
    name = "syndication_account"
    list_display = ["name", "channel", "department", "status", "active"]
    list_filter = ["channel", "status", "active"]
    search_fields = ["name", "app_id"]
    edit_template_name = "syndication/admin/account_edit.html"


class SyndicationViewSetGroup(ViewSetGroup):
    items = (SyndicationJobViewSet, AccountViewSet)
    menu_label = _("新媒体")
    menu_icon = "pick"
    menu_order = 350
