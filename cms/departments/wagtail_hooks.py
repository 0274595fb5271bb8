from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import views
from .models import DepartmentHistoryEntry


class ReorganizationMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_reorganize(request.user)


class ReorganizationViewSet(ViewSet):
    """机构调整: rename, merge, split, transfer a duty, abolish — preview, confirm, progress, result."""

    name = "reorganizations"
    icon = "group"
    menu_label = _("调整记录")
    menu_name = "reorganizations"
    menu_item_class = ReorganizationMenuItem

    @property
    def menu_url(self):
        from django.urls import reverse

        return reverse("reorganizations:index")

    def get_urlpatterns(self):
        return [
            path("", views.IndexView.as_view(), name="index"),
            path("new/<str:kind>/", views.CreateView.as_view(), name="create"),
            path("<int:pk>/", views.DetailView.as_view(), name="detail"),
            path("<int:pk>/confirm/", views.confirm, name="confirm"),
            path("<int:pk>/progress/", views.progress, name="progress"),
            path("<int:pk>/urls.csv", views.url_changes_csv, name="urls_csv"),
        ]


class HistoryEntryViewSet(ModelViewSet):
    """机构沿革 entries: written by reorganizations; administrators add earlier history or correct a wording."""

    model = DepartmentHistoryEntry
    icon = "history"
    menu_label = _("机构沿革")
    name = "department_history"
    list_display = ["department", "kind", "effective_date", "document_number", "description"]
    list_filter = ["kind"]
    search_fields = ["description", "document_number"]
    form_fields = ["department", "kind", "effective_date", "document_number", "description"]
    ordering = ["-effective_date", "-pk"]


class ReorganizationGroup(ViewSetGroup):
    menu_label = _("机构调整")
    menu_icon = "group"
    menu_order = 850
    items = (ReorganizationViewSet, HistoryEntryViewSet)


@hooks.register("register_admin_viewset")
def register_reorganization_viewsets():
    return ReorganizationGroup()


@hooks.register("register_log_actions")
def register_reorganization_log_actions(actions):
    actions.register_action(
        "departments.reorganized", _("机构调整"), _("机构调整（更名、合并、拆分、职责划转或撤销）")
    )


@hooks.register("register_permissions")
def register_reorganization_permission():
    """Lets administrators grant 可执行机构调整 to a group in Wagtail's group editor."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="departments", codename="run_reorganization")
