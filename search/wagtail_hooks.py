from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from .admin_views import SynonymViewSet, ZeroResultReportView

register_snippet(SynonymViewSet)


@hooks.register("register_admin_urls")
def register_search_admin_urls():
    return [
        path("reports/search-zero-results/", ZeroResultReportView.as_view(), name="search_zero_results"),
        path(
            "reports/search-zero-results/results/",
            ZeroResultReportView.as_view(results_only=True),
            name="search_zero_results_results",
        ),
    ]


class _SynonymEditorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("search.add_synonym") or request.user.has_perm("search.change_synonym")


@hooks.register("register_reports_menu_item")
def register_zero_results_report():
    return _SynonymEditorMenuItem(
        _("无结果搜索词"), reverse("search_zero_results"), icon_name="search", order=1310
    )
