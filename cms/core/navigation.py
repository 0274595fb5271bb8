"""Per-request navigation data shared by templates and page contexts."""

from django.db.models import Q
from wagtail.models import Page


class Navigation:
    """The site's home page, the main menu and the current page's breadcrumbs, fetched in one query."""

    def __init__(self, page):
        steplen = Page.steplen
        home_path = page.path[: 2 * steplen]
        ancestor_paths = [page.path[:n] for n in range(2 * steplen, len(page.path), steplen)]
        pages = list(
            Page.objects.filter(
                Q(path__in=ancestor_paths + [home_path])
                | Q(depth=3, path__startswith=home_path, live=True, show_in_menus=True)
            ).order_by("path")
        )
        self.home = next((p for p in pages if p.path == home_path), None)
        self.breadcrumbs = [p for p in pages if p.path in ancestor_paths]
        self.menu = [p for p in pages if p.depth == 3 and p.live and p.show_in_menus]


def navigation_for(request, page):
    """Navigation for ``page``, computed once per request (views may reuse it, e.g. for the department)."""
    cache = getattr(request, "_portal_navigation", None)
    if cache is None or cache[0] != page.pk:
        cache = (page.pk, Navigation(page))
        if request is not None:
            request._portal_navigation = cache
    return cache[1]
