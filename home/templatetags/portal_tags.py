"""Navigation, breadcrumbs and page-number helpers shared by every public template."""

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_root(context):
    request = context.get("request")
    cache = getattr(request, "_portal_site_root", None) if request else None
    if cache is None:
        site = Site.find_for_request(request) if request else None
        cache = site.root_page.localized if site else None
        if request is not None:
            request._portal_site_root = cache
    return cache


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The site root's children marked 'show in menus', in tree order; computed once per request."""
    request = context.get("request")
    cached = getattr(request, "_portal_main_menu", None) if request else None
    if cached is None:
        root = site_root(context)
        cached = list(root.get_children().live().in_menu().order_by("path")) if root else []
        if request is not None:
            request._portal_main_menu = cached
    return cached


@register.simple_tag
def breadcrumbs(page):
    """Ancestors of ``page`` below the tree root (so the first crumb is 首页)."""
    if not isinstance(page, Page):
        return []
    return list(page.get_ancestors().filter(depth__gt=1).order_by("depth"))


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """The current query string with ``page`` replaced, for pagination links that keep filters."""
    request = context["request"]
    params = request.GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.filter
def is_ancestor_or_self(menu_page, current):
    return isinstance(current, Page) and current.path.startswith(menu_page.path)
