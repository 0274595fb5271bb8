from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def search_url(context, **changes):
    """The search page URL for the current query and filters with ``changes`` applied, back on page 1.
    A value of "" removes that parameter."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        if value in ("", None):
            params.pop(name, None)
        else:
            params[name] = value
    return reverse("search") + ("?" + params.urlencode() if params else "")


@register.simple_tag
def query_link(term):
    """The search page URL for ``term`` alone."""
    from django.utils.http import urlencode

    return reverse("search") + "?" + urlencode({"q": term})


@register.filter
def count_of(counts, group):
    return counts.get(group, 0) if counts else 0
