"""互动交流: the section page with the message board, the message form and the interview archive."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from .consultations import ConsultationPage
from .interviews import InterviewPage
from .messages import Message

# 互动交流 section and 在线访谈 --------------------------------------------------------------------------


class InteractionIndexPage(RoutablePageMixin, Page):
    """互动交流: the message board (受理日期/答复日期/答复部门/答复内容), the message form, and the interviews."""

    intro = RichTextField(_("简介"), blank=True, features=["bold", "link"])
    form_intro = RichTextField(
        _("留言须知"), blank=True, features=["bold", "link", "ol", "ul"], help_text=_("显示在留言表单上方。")
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("form_intro")]

    parent_page_types = ["home.HomePage", "home.SectionPage"]
    subpage_types = ["participation.InterviewPage"]
    max_count = 1

    class Meta:
        verbose_name = _("互动交流")
        verbose_name_plural = _("互动交流")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["open_consultations"] = list(
            ConsultationPage.objects.published()
            .for_listing()
            .filter(opens_on__lte=timezone.localdate(), closes_on__gte=timezone.localdate(), completed=False)
            .order_by("closes_on")[:5]
        )
        context["adoption_reports"] = list(
            ConsultationPage.objects.published()
            .for_listing()
            .filter(completed=True)
            .order_by("-completed_on", "-pk")[:5]
        )
        context["interviews"] = list(
            InterviewPage.objects.live().public().child_of(self).order_by("-starts_at")[:5]
        )
        context["latest_messages"] = list(Message.objects.public().select_related("department")[:5])
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path("messages/", name="messages")
    def messages(self, request):
        from ..views import message_board

        return message_board(self, request)

    @path("messages/write/", name="write")
    def write(self, request):
        from ..views import write_message

        return write_message(self, request)

    @path("messages/done/", name="done")
    def done(self, request):
        from ..views import message_done

        return message_done(self, request)

    @path("interviews/", name="interviews")
    def interview_archive(self, request):
        from ..views import interview_archive

        return interview_archive(self, request)
