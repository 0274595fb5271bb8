"""Site-wide search through Wagtail's search API, relevance order kept.

Chinese segmentation, filters and grouping come with the search issue; this view already pages cleanly and
rejects over-long queries with a 400 instead of failing.
"""

from django.template.response import TemplateResponse
from wagtail.models import Page

from cms.disclosure.views import paginate

MAX_QUERY_LENGTH = 100


def search(request):
    query = request.GET.get("q", "").strip()
    status = 200
    error = None
    results = None
    if len(query) > MAX_QUERY_LENGTH:
        error = f"搜索词过长，请控制在{MAX_QUERY_LENGTH}字以内。"
        status = 400
    elif query:
        results = paginate(request, Page.objects.live().public().specific().search(query))
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "results": results, "error": error},
        status=status,
    )
