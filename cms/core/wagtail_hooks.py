from wagtail import hooks

from .viewsets import CalendarDayViewSet, LoginLockoutViewSet


@hooks.register("register_admin_viewset")
def register_viewsets():
    return CalendarDayViewSet()


@hooks.register("register_admin_viewset")
def register_lockouts():
    return LoginLockoutViewSet()
