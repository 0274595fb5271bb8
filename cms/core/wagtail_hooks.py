from django.urls import reverse
from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import workdays
from .viewsets import CalendarDayViewSet, LoginLockoutViewSet


class CalendarWarningPanel(Component):
    """On the dashboard: this year or the next has no published holidays and 调休 in the calendar."""

    name = "calendar_warning"
    order = 10
    template_name = "core/admin/calendar_warning.html"

    def __init__(self, years):
        self.years = years

    def get_context_data(self, parent_context):
        return {"years": self.years, "url": reverse("calendarday:index")}


@hooks.register("construct_homepage_panels")
def calendar_warning(request, panels):
    if years := workdays.unknown_years():
        panels.insert(0, CalendarWarningPanel(years))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CalendarDayViewSet()


@hooks.register("register_admin_viewset")
def register_lockouts():
    return LoginLockoutViewSet()
