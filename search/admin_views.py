"""Admin screens of site search: the synonym dictionary (a snippet) and the report of searches that found
nothing, from which an editor adds the missing synonym in one click."""

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .models import QueryStat, Synonym


class SynonymCreateView(CreateView):
    def get_initial_form_instance(self):
        """``?term=开出租`` (the zero-result report's link) fills in the term."""
        term = self.request.GET.get("term", "").strip()[:40]
        return Synonym(term=term) if term else None


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("同义词词典")
    menu_name = "search-synonyms"
    add_to_admin_menu = False
    add_view_class = SynonymCreateView
    list_display = ["term", "expansion_text", "two_way", "active", "updated_at"]
    list_filter = ["active", "two_way"]
    search_fields = ["term", "expansions"]
    ordering = ["term"]


class AddSynonymColumn(Column):
    cell_template_name = "search/admin/add_synonym_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = (
            reverse("wagtailsnippets_search_synonym:add") + "?term=" + instance.query.query_string
        )
        return context


class ZeroResultReportView(ReportView):
    """Queries whose latest search found nothing, most frequent first (personal data was masked on entry)."""

    page_title = _("无结果搜索词")
    header_icon = "search"
    index_url_name = "search_zero_results"
    index_results_url_name = "search_zero_results_results"
    permission_policy = ModelPermissionPolicy(Synonym)
    any_permission_required = ["add", "change"]
    default_ordering = "-zero_result_hits"
    is_searchable = True
    search_fields = ["query__query_string"]
    columns = [
        Column("query", label=_("搜索词"), accessor="query.query_string"),
        NumberColumn("zero_result_hits", label=_("无结果次数"), sort_key="zero_result_hits"),
        NumberColumn("total_hits", label=_("近期搜索次数")),
        DateColumn("last_searched_at", label=_("最近搜索时间"), sort_key="last_searched_at"),
        AddSynonymColumn("add", label=_("处理")),
    ]
    list_export = ["query", "zero_result_hits", "total_hits", "last_searched_at"]
    export_headings = {
        "query": _("搜索词"),
        "zero_result_hits": _("无结果次数"),
        "total_hits": _("近期搜索次数"),
        "last_searched_at": _("最近搜索时间"),
    }

    def get_base_queryset(self):
        return (
            QueryStat.objects.filter(last_result_count=0)
            .select_related("query")
            .annotate(total_hits=Sum("query__daily_hits__hits"))
        )
