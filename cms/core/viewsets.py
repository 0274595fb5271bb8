from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from .models import CalendarDay


class CalendarDayViewSet(ModelViewSet):
    """节假日与调休, under 设置: every statutory clock and SLA reads it (model permissions decide who edits)."""

    model = CalendarDay
    icon = "date"
    menu_label = _("节假日与调休")
    add_to_settings_menu = True
    list_display = ["day", "is_workday", "note"]
    list_filter = ["is_workday"]
    form_fields = ["day", "is_workday", "note"]
    copy_view_enabled = False
