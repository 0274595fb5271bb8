"""The site-wide search page and the suggestions it asks for while a visitor types.

Bad input never fails: a query over 100 characters or an invalid filter gets a 400 with a message (the
rest of what was typed is kept and still searched); symbols and emoji alone get a message; everything
else is searched as text.
"""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Page, Site

from cms.departments.models import DepartmentPage

from . import suggest, text
from .forms import MAX_QUERY_LENGTH, SearchForm
from .groups import Group
from .indexing import send
from .site_search import SiteSearch


def _departments(locale):
    return list(
        DepartmentPage.objects.live()
        .filter(locale=locale)
        .order_by("path")
        .only("title", "path", "depth", "url_path", "short_name", "status")
    )


def _hot_searches(request, site):
    from .models import SearchSettings

    settings = SearchSettings.for_site(site)
    return {
        "recommended": settings.recommended_list,
        "popular": suggest.popular() if settings.show_popular else [],
    }


@require_GET
def search(request):
    from .tasks import record_search

    site = Site.find_for_request(request)
    locale = Locale.get_active()
    form = SearchForm(request.GET or None, departments=_departments(locale))
    data = form.valid_data() if form.is_bound else {}
    query = data.get("q", "")
    outcome = None
    if query and site is not None:
        page_number = request.GET.get("page")
        outcome = SiteSearch(site, locale, data, page_number).run(query)
        if page_number in (None, "", "1") and not form.has_filters:
            send(record_search, query, outcome.total)  # a new search, not paging or filtering one
    context = {
        "form": form,
        "search_query": request.GET.get("q", "")[: MAX_QUERY_LENGTH * 2],
        "outcome": outcome,
        "groups": Group,
        "selected_group": data.get("group", ""),
        "has_filters": form.is_bound and form.has_filters,
        "hot": _hot_searches(request, site) if site and (outcome is None or not outcome.total) else None,
    }
    return TemplateResponse(request, "search/search.html", context, status=400 if form.errors else 200)


@require_GET
def suggestions(request):
    """``{"query", "terms": [...], "pages": [{"title", "url"}]}`` for the text typed so far."""
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        return JsonResponse({"error": f"搜索词过长，请控制在{MAX_QUERY_LENGTH}字以内。"}, status=400)
    if text.phrase(query) is None:
        return JsonResponse({"query": query, "terms": [], "pages": []})
    site = Site.find_for_request(request)
    pages = []
    if site is not None:
        candidates = (
            Page.objects.live()
            .public()
            .filter(locale=Locale.get_active(), path__startswith=site.root_page.path)
            .autocomplete(query)
        )
        pages = [{"title": p.title, "url": p.get_url(request)} for p in candidates[:5]]
    response = JsonResponse({"query": query, "terms": suggest.suggestions(query), "pages": pages})
    response["Cache-Control"] = "public, max-age=300"
    return response
