"""依申请公开 in the Wagtail admin: the request list (masked) and 代填 entry, the calendar table, letter templates,
复议诉讼 records, the processing views, the dashboard panel and two reports."""

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views, services
from .forms import StaffRequestForm
from .letters import PLACEHOLDERS, TEMPLATE_KEYS
from .models import InformationRequest, LegalCase, LetterTemplate
from .querysets import department_ids_of, is_intake

# Who may do what --------------------------------------------------------------------------------------


def _access(user):
    """(intake, department staff) for this user, computed once per user object."""
    cached = getattr(user, "_applications_access", None)
    if cached is None:
        cached = (is_intake(user), bool(department_ids_of(user))) if user.is_authenticated else (False, False)
        user._applications_access = cached
    return cached


class RequestPermissionPolicy(ModelPermissionPolicy):
    """The intake office handles every request and enters 代填 ones; department staff handle their own. Nobody but
    a superuser deletes one (the record is kept: 归档)."""

    def user_has_permission(self, user, action):
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        intake, staff = _access(user)
        if action in ("change", "view"):
            return intake or staff
        if action == "add":
            return intake
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and InformationRequest.objects.visible_to(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if any(self.user_has_permission(user, a) for a in actions):
            return InformationRequest.objects.visible_to(user)
        return InformationRequest.objects.none()


class IntakePermissionPolicy(ModelPermissionPolicy):
    """Letter templates and 复议诉讼 records: the intake office (and superusers)."""

    def user_has_permission(self, user, action):
        return user.is_authenticated and user.is_active and _access(user)[0]

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_permission(user, "change"):
            return self.model._default_manager.all()
        return self.model._default_manager.none()


register_permission_policy(InformationRequest, RequestPermissionPolicy(InformationRequest))
for _model in (LetterTemplate, LegalCase):
    register_permission_policy(_model, IntakePermissionPolicy(_model))


# Requests -----------------------------------------------------------------------------------------------


class ClockColumn(Column):
    cell_template_name = "applications/admin/clock_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["reading"] = instance.read_clock()
        context["application"] = instance
        return context


class RequestIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().visible_to(self.request.user).select_related("department")

    def get_edit_url(self, instance):
        return reverse("applications_process", args=(instance.pk,))


class RequestCreateView(generic.CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        return services.enter_on_behalf(instance, self.request.user)

    def get_success_url(self):
        return reverse("applications_process", args=(self.object.pk,))


class RequestEditView(generic.EditView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        services.log_personal_data_view(self.object, request.user, "edit")
        return response

    def get_object(self, queryset=None):
        return get_object_or_404(
            InformationRequest.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_success_url(self):
        return reverse("applications_process", args=(self.object.pk,))


REQUEST_PANELS = [
    MultiFieldPanel(
        [FieldRowPanel([FieldPanel("channel"), FieldPanel("submitted_on"), FieldPanel("received_on")])],
        heading=_("收到申请"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("applicant_type"), FieldPanel("name"), FieldPanel("contact_person")]),
            FieldRowPanel([FieldPanel("id_type"), FieldPanel("id_number")]),
            FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
            FieldRowPanel([FieldPanel("address"), FieldPanel("postcode")]),
        ],
        heading=_("申请人"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("info_title"), FieldPanel("info_number")]),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("delivery"), FieldPanel("department")]),
        ],
        heading=_("所需信息与获取方式"),
    ),
]


class InformationRequestViewSet(ModelViewSet):
    model = InformationRequest
    icon = "form"
    menu_label = _("申请办理")
    menu_order = 100
    add_to_admin_menu = False
    index_view_class = RequestIndexView
    add_view_class = RequestCreateView
    edit_view_class = RequestEditView
    copy_view_enabled = False
    list_per_page = 50
    search_fields = ["tracking_code", "info_title", "info_number"]
    list_filter = ["status", "channel", "applicant_type", "outcome", "department"]
    list_export = [
        "tracking_code",
        "masked_name",
        "get_applicant_type_display",
        "get_channel_display",
        "info_title",
        "department",
        "get_status_display",
        "received_on",
        "due_date",
        "get_outcome_display",
        "replied_on",
    ]
    export_headings = {
        "tracking_code": _("申请编号"),
        "masked_name": _("申请人（已脱敏）"),
        "get_applicant_type_display": _("申请人类型"),
        "get_channel_display": _("申请方式"),
        "info_title": _("所需信息"),
        "department": _("承办部门"),
        "get_status_display": _("状态"),
        "received_on": _("收到申请之日"),
        "due_date": _("答复期限"),
        "get_outcome_display": _("处理结果"),
        "replied_on": _("答复日期"),
    }
    export_filename = "information-requests"

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "tracking_code",
                label=_("申请编号"),
                get_url=lambda r: reverse("applications_process", args=(r.pk,)),
            ),
            Column("masked_name", label=_("申请人")),
            Column("info_title", label=_("所需信息")),
            Column("department", label=_("承办部门")),
            Column("get_status_display", label=_("状态"), sort_key="status"),
            ClockColumn("due_date", label=_("答复期限"), sort_key="due_date"),
        ]

    def get_edit_handler(self):
        return ObjectList(REQUEST_PANELS, base_form_class=StaffRequestForm).bind_to_model(self.model)


class LetterTemplateViewSet(ModelViewSet):
    model = LetterTemplate
    icon = "doc-full"
    menu_label = _("文书模板")
    menu_order = 300
    list_display = ["title", Column("key_label", label=_("文书类型"))]
    copy_view_enabled = False

    def get_edit_handler(self):
        help_text = "；".join(f"{{{name}}} {meaning}" for name, meaning in PLACEHOLDERS.items())
        return ObjectList(
            [
                FieldPanel("key", widget=_key_widget()),
                FieldPanel("title"),
                FieldPanel("body", help_text=format_html("{}", "可用占位符：" + help_text)),
            ]
        ).bind_to_model(self.model)


def _key_widget():
    from django import forms

    return forms.Select(choices=list(TEMPLATE_KEYS.items()))


class LegalCaseViewSet(ModelViewSet):
    model = LegalCase
    icon = "clipboard-list"
    menu_label = _("复议诉讼")
    menu_order = 200
    list_display = ["__str__", "kind", "filed_on", "result", "concluded_on"]
    list_filter = ["kind", "result"]
    copy_view_enabled = False


class ApplicationsGroup(ViewSetGroup):
    menu_label = _("依申请公开")
    menu_icon = "mail"
    menu_order = 250
    items = (InformationRequestViewSet, LegalCaseViewSet, LetterTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ApplicationsGroup()


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("applications/process/<int:pk>/", admin_views.process, name="applications_process"),
        path("applications/process/<int:pk>/<slug:action>/", admin_views.process, name="applications_action"),
        path("applications/letter/<int:pk>/", admin_views.letter, name="applications_letter"),
        path(
            "applications/letter/<int:pk>/print/", admin_views.letter_print, name="applications_letter_print"
        ),
        path("applications/attachment/<int:pk>/", admin_views.attachment, name="applications_attachment"),
        path("applications/annual-report/", admin_views.annual_report, name="applications_annual_report"),
        path("applications/suggestions/", admin_views.suggestions, name="applications_suggestions"),
    ]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        "applications.personal_data_viewed", _("查看申请人个人信息"), _("工作人员查看了申请人的个人信息")
    )
    actions.register_action("applications.processed", _("办理申请"), _("办理政府信息公开申请"))
    actions.register_action("applications.letter_edited", _("修改文书"), _("修改了文书内容"))


@hooks.register("construct_homepage_panels")
def clock_panel(request, panels):
    if admin_views.show_clock_panel(request.user):
        panels.insert(1, admin_views.ClockPanel(request))


class _IntakeMenuItem(MenuItem):
    def is_shown(self, request):
        return _access(request.user)[0]


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return any(_access(request.user))


@hooks.register("register_reports_menu_item")
def register_annual_report():
    return _IntakeMenuItem(
        _("年报：依申请公开统计"), reverse("applications_annual_report"), icon_name="table", order=920
    )


@hooks.register("register_reports_menu_item")
def register_suggestions():
    return _StaffMenuItem(
        _("建议转为主动公开"), reverse("applications_suggestions"), icon_name="doc-full-inverse", order=930
    )
