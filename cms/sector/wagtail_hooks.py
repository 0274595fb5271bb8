"""行业领域公开 in the Wagtail admin: 执法案件 (progress records), 服务事项动态更新 (read-only), the 公开时限
report and dashboard panel, and the 撤回公示 action on enforcement decisions."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from . import admin_views
from .models import EnforcementCase, EnforcementDecisionPage, ServiceChange


class EnforcementCaseViewSet(ModelViewSet):
    model = EnforcementCase
    menu_label = _("执法案件进度")
    icon = "list-ol"
    add_to_admin_menu = False
    list_display = [
        "case_number",
        "cause",
        Column("party_display", label=_("当事人")),
        Column("get_current_stage_display", label=_("当前环节")),
        "department",
        "accepted_on",
    ]
    list_filter = ["kind", "department"]
    search_fields = ["case_number", "cause"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "case_number",
        "verification_code",
        "cause",
        "department",
        "accepted_on",
        "investigated_on",
        "notified_on",
        "decided_on",
        "executed_on",
        "closed_on",
    ]


class ServiceChangeViewSet(ModelViewSet):
    model = ServiceChange
    menu_label = _("服务事项动态更新")
    icon = "history"
    add_to_admin_menu = False
    list_display = [
        "title",
        "provincial_code",
        "kind",
        Column("field_labels", label=_("调整内容")),
        "published_at",
    ]
    list_filter = ["kind"]
    search_fields = ["title", "provincial_code"]
    inspect_view_enabled = True
    form_fields = ["note"]  # the log is written by publishing; staff may only correct a note


class SectorGroup(ViewSetGroup):
    menu_label = _("行业公开")
    menu_icon = "folder-open-inverse"
    menu_order = 260
    items = (EnforcementCaseViewSet, ServiceChangeViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return SectorGroup()


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("sector/deadlines/", admin_views.deadlines, name="sector_deadlines"),
        path(
            "sector/decisions/<int:page_id>/withdraw/", admin_views.withdraw, name="sector_withdraw_decision"
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_deadlines_report():
    return MenuItem(_("行业公开时限"), reverse("sector_deadlines"), icon_name="time", order=940)


@hooks.register("construct_homepage_panels")
def deadline_panel(request, panels):
    flags = admin_views.flags_for(request.user)
    if flags:
        panels.insert(2, admin_views.DeadlinePanel(flags))


@hooks.register("register_page_listing_more_buttons")
def withdraw_button(page, user, next_url=None):
    specific = page.specific_deferred if hasattr(page, "specific_deferred") else page.specific
    if (
        isinstance(specific, EnforcementDecisionPage)
        and not specific.is_revoked
        and page.permissions_for_user(user).can_unpublish()
    ):
        yield Button(
            _("撤销并撤回公示"),
            url=reverse("sector_withdraw_decision", args=[page.pk]),
            icon_name="warning",
            priority=45,
        )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        "sector.decision_withdrawn",
        _("撤回执法决定公示"),
        _("决定被撤销、确认违法或要求重新作出，已从公示中撤回"),
    )
