"""互动交流 in the Wagtail admin: the moderation queues (征求意见留言, 访谈提问), 留言办理 with 12345 entry,
关切话题, the monthly statistics report and the dashboard panel of deadlines."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.departments import units

from . import admin_views, services
from .forms import ModerationForm, StaffMessageForm
from .models import ConcernTopic, ConsultationComment, InterviewQuestion, Message
from .querysets import is_manager


def _staff(user):
    cached = getattr(user, "_participation_access", None)
    if cached is None:
        cached = (is_manager(user), units.of_user(user).exists()) if user.is_authenticated else (False, False)
        user._participation_access = cached
    return cached


class ScopedPolicy(ModelPermissionPolicy):
    """The 互动交流 office handles everything; a unit's staff the comments and messages of their unit. Records
    are kept: nobody but a superuser deletes one."""

    def user_has_permission(self, user, action):
        if not (user.is_authenticated and user.is_active):
            return False
        if user.is_superuser:
            return True
        manager, staff = _staff(user)
        if action in ("change", "view"):
            return manager or staff
        if action == "add":
            return manager and self.model is Message
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self.model._default_manager.visible_to(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if any(self.user_has_permission(user, a) for a in actions):
            return self.model._default_manager.visible_to(user)
        return self.model._default_manager.none()


class ManagersPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action == "delete":
            return user.is_authenticated and user.is_superuser
        return _staff(user)[0] if user.is_authenticated and user.is_active else False

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        if any(self.user_has_permission(user, a) for a in actions):
            return self.model._default_manager.all()
        return self.model._default_manager.none()


register_permission_policy(ConsultationComment, ScopedPolicy(ConsultationComment))
register_permission_policy(Message, ScopedPolicy(Message))
register_permission_policy(InterviewQuestion, ManagersPolicy(InterviewQuestion))
register_permission_policy(ConcernTopic, ManagersPolicy(ConcernTopic))


# Moderation -----------------------------------------------------------------------------------------------


class ScopedObjectMixin:
    """Edit only what this user may see: a unit's staff get a 404 for another unit's comments or messages."""

    def get_queryset(self):
        return self.model._default_manager.visible_to(self.request.user)


class ModerateView(generic.EditView):
    def save_instance(self):
        return services.moderate(self.form.save(commit=False), self.request.user)


class CommentModerateView(ScopedObjectMixin, ModerateView):
    pass


class CommentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().visible_to(self.request.user).select_related("consultation")


class ConsultationCommentViewSet(ModelViewSet):
    name = "participation_comments"
    model = ConsultationComment
    icon = "comment"
    menu_label = _("征求意见留言审核")
    menu_order = 100
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = CommentIndexView
    edit_view_class = CommentModerateView
    list_filter = ["status", "consultation"]
    search_fields = ["body"]
    list_per_page = 50

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "excerpt",
                label=_("意见内容"),
                get_url=lambda c: reverse(self.get_url_name("edit"), args=(c.pk,)),
            ),
            Column("consultation", label=_("征求意见")),
            Column("masked_name", label=_("提交人")),
            DateColumn("submitted_at", label=_("提交时间")),
            Column("get_status_display", label=_("审核状态"), sort_key="status"),
        ]

    def get_edit_handler(self):
        return ObjectList(
            [
                FieldPanel("consultation", read_only=True),
                FieldRowPanel(
                    [FieldPanel("name", read_only=True), FieldPanel("submitted_at", read_only=True)]
                ),
                FieldPanel("body", read_only=True),
                FieldPanel("status"),
                FieldPanel("moderation_reason"),
            ],
            base_form_class=ModerationForm,
        ).bind_to_model(self.model)


class InterviewQuestionViewSet(ModelViewSet):
    name = "participation_questions"
    model = InterviewQuestion
    icon = "help"
    menu_label = _("访谈提问审核")
    menu_order = 300
    add_view_enabled = False
    copy_view_enabled = False
    edit_view_class = ModerateView
    list_filter = ["status", "interview"]
    search_fields = ["body"]

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "excerpt", label=_("问题"), get_url=lambda q: reverse(self.get_url_name("edit"), args=(q.pk,))
            ),
            Column("interview", label=_("在线访谈")),
            Column("masked_name", label=_("网友")),
            DateColumn("submitted_at", label=_("提交时间")),
            Column("get_status_display", label=_("审核状态"), sort_key="status"),
        ]

    def get_edit_handler(self):
        return ObjectList(
            [
                FieldPanel("interview", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("body", read_only=True),
                FieldPanel("status"),
                FieldPanel("moderation_reason"),
                FieldPanel("answer"),
            ],
            base_form_class=ModerationForm,
        ).bind_to_model(self.model)


# Messages -------------------------------------------------------------------------------------------------


class DeadlineColumn(Column):
    cell_template_name = "participation/admin/deadline_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["message"] = instance
        context["left"] = instance.working_days_left()
        return context


class MessageIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().visible_to(self.request.user).select_related("department")


class MessageCreateView(generic.CreateView):
    def save_instance(self):
        return services.enter_message(self.form.save(commit=False), self.request.user)


class MessageEditView(ScopedObjectMixin, generic.EditView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The handling page shows the sender's name and phone in full: every such view is in the audit log.
        log(instance=self.object, action="participation.personal_data_viewed", user=request.user)
        return response

    def save_instance(self):
        previous = Message.objects.filter(pk=self.object.pk).values_list("status", flat=True).first()
        return services.handle_message(self.form.save(commit=False), self.request.user, previous)


ENTRY_PANELS = [
    MultiFieldPanel(
        [FieldRowPanel([FieldPanel("channel"), FieldPanel("hotline_number"), FieldPanel("received_on")])],
        heading=_("来源"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel(
                [FieldPanel("category"), FieldPanel("department"), FieldPanel("reply_working_days")]
            ),
            FieldPanel("subject"),
            FieldPanel("body"),
        ],
        heading=_("留言"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("phone"), FieldPanel("email")]),
            FieldPanel("is_private"),
        ],
        heading=_("留言人"),
    ),
]

HANDLING_PANELS = [
    MultiFieldPanel(
        [
            FieldRowPanel(
                [
                    FieldPanel("code", read_only=True),
                    FieldPanel("channel", read_only=True),
                    FieldPanel("hotline_number", read_only=True),
                ]
            ),
            FieldRowPanel([FieldPanel("received_on", read_only=True), FieldPanel("due_on", read_only=True)]),
            FieldPanel("subject", read_only=True),
            FieldPanel("body", read_only=True),
            FieldRowPanel([FieldPanel("name", read_only=True), FieldPanel("phone", read_only=True)]),
        ],
        heading=_("留言"),
    ),
    MultiFieldPanel(
        [
            FieldRowPanel(
                [FieldPanel("category"), FieldPanel("department"), FieldPanel("reply_working_days")]
            ),
            FieldPanel("is_private"),
        ],
        heading=_("分类与分办（转办）"),
    ),
    MultiFieldPanel(
        [FieldPanel("status"), FieldPanel("reply"), FieldPanel("replied_on"), FieldPanel("invalid_reason")],
        heading=_("答复"),
    ),
]


class MessageViewSet(ModelViewSet):
    name = "participation_messages"
    model = Message
    icon = "mail"
    menu_label = _("留言办理")
    menu_order = 200
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = MessageIndexView
    add_view_class = MessageCreateView
    edit_view_class = MessageEditView
    list_filter = ["status", "channel", "category", "department", "is_private"]
    search_fields = ["code", "subject", "hotline_number"]
    list_per_page = 50
    list_export = [
        "code",
        "get_channel_display",
        "get_category_display",
        "subject",
        "masked_name",
        "department",
        "received_on",
        "due_on",
        "get_status_display",
        "replied_on",
    ]
    export_headings = {
        "code": _("留言编号"),
        "get_channel_display": _("来源"),
        "get_category_display": _("类别"),
        "subject": _("标题"),
        "masked_name": _("留言人（已脱敏）"),
        "department": _("答复部门"),
        "received_on": _("受理日期"),
        "due_on": _("答复期限"),
        "get_status_display": _("办理状态"),
        "replied_on": _("答复日期"),
    }
    export_filename = "messages"

    @cached_property
    def list_display(self):
        return [
            TitleColumn(
                "subject", label=_("标题"), get_url=lambda m: reverse(self.get_url_name("edit"), args=(m.pk,))
            ),
            Column("get_channel_display", label=_("来源"), sort_key="channel"),
            Column("masked_name", label=_("留言人")),
            Column("department", label=_("答复部门")),
            Column("received_on", label=_("受理日期"), sort_key="received_on"),
            Column("get_status_display", label=_("状态"), sort_key="status"),
            DeadlineColumn("due_on", label=_("答复期限"), sort_key="due_on"),
        ]

    def get_edit_handler(self):
        return ObjectList(HANDLING_PANELS, base_form_class=StaffMessageForm).bind_to_model(self.model)

    def get_add_view_kwargs(self, **kwargs):
        panel = ObjectList(ENTRY_PANELS, base_form_class=StaffMessageForm).bind_to_model(self.model)
        return {**super().get_add_view_kwargs(**kwargs), "panel": panel, "form_class": panel.get_form_class()}


class ConcernTopicViewSet(ModelViewSet):
    name = "participation_topics"
    model = ConcernTopic
    icon = "warning"
    menu_label = _("关切话题")
    menu_order = 400
    copy_view_enabled = False
    list_display = ["name", "source", "raised_at"]
    search_fields = ["name", "description"]


class ParticipationGroup(ViewSetGroup):
    menu_label = _("互动交流")
    menu_icon = "group"
    menu_order = 260
    items = (ConsultationCommentViewSet, MessageViewSet, InterviewQuestionViewSet, ConcernTopicViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return ParticipationGroup()


@hooks.register("register_admin_urls")
def register_urls():
    return [path("participation/statistics/", admin_views.statistics, name="participation_statistics")]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("participation.moderated", _("审核留言"), _("审核了网上留言或提问"))
    actions.register_action(
        "participation.message_entered", _("录入留言"), _("录入了12345转办或来电来信留言")
    )
    actions.register_action("participation.message_handled", _("办理留言"), _("办理了留言"))
    actions.register_action(
        "participation.personal_data_viewed", _("查看留言人个人信息"), _("工作人员查看了留言人的个人信息")
    )


@hooks.register("construct_homepage_panels")
def deadlines_panel(request, panels):
    if any(_staff(request.user)):
        panels.insert(1, admin_views.DeadlinesPanel(request))


class _StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return any(_staff(request.user))


@hooks.register("register_reports_menu_item")
def register_statistics():
    return _StaffMenuItem(
        _("互动交流月度统计"), reverse("participation_statistics"), icon_name="table", order=940
    )
