"""Navigation, breadcrumbs and page-number helpers shared by every public template."""

from django import template
from wagtail.models import Page, Site

from cms.core.navigation import navigation_for

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context):
    page = context.get("page")
    request = context.get("request")
    if isinstance(page, Page):
        return navigation_for(request, page)
    site = Site.find_for_request(request) if request else None
    return navigation_for(request, site.root_page) if site else None


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The current query string with ``page`` replaced, for pagination links that keep filters."""
    request = context["request"]
    params = request.GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.filter
def page_window(page, size=3):
    """The page numbers within ``size`` of the current one: a loop over these, not over every page
    (a search for 交通 has thousands of pages)."""
    return range(max(1, page.number - size), min(page.paginator.num_pages, page.number + size) + 1)


@register.filter
def is_ancestor_or_self(menu_page, current):
    return isinstance(current, Page) and current.path.startswith(menu_page.path)
