from wagtail import hooks

from .viewsets import CalendarDayViewSet


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CalendarDayViewSet()
