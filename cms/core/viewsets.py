from axes.models import AccessAttempt
from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from . import workdays
from .models import CalendarDay


class CalendarIndexView(IndexView):
    def get(self, request, *args, **kwargs):
        if (years := workdays.unknown_years()) and not self.results_only:
            messages.warning(
                request,
                _(
                    "%(years)s年的节假日与调休尚未录入：录入前，落在该年度的期限按法定节假日估算（标注“估算”）。"
                )
                % {"years": "、".join(str(y) for y in years)},
            )
        return super().get(request, *args, **kwargs)


class CalendarDayViewSet(ModelViewSet):
    """节假日与调休, under 设置: every statutory clock and SLA reads it (model permissions decide who edits)."""

    model = CalendarDay
    index_view_class = CalendarIndexView
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
