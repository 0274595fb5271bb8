from axes.models import AccessAttempt
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


class LoginLockoutViewSet(ModelViewSet):
    """登录锁定, under 设置: the user names and addresses django-axes has locked out; deleting a row unlocks it."""

    model = AccessAttempt
    icon = "lock"
    menu_label = _("登录锁定")
    url_prefix = "login-lockouts"
    add_to_settings_menu = True
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]
    form_fields = ["username", "ip_address", "failures_since_start"]
    copy_view_enabled = False
    inspect_view_enabled = True
