"""Queries of the sector pages: the generated service lists, their change log and the theme listing."""

from django.db.models import Q

from cms.disclosure.models import DisclosureItemPage

from .vocabularies import ServiceListKind

FLAG_OF_LIST = {ServiceListKind.NO_VISIT: "no_visit", ServiceListKind.ONE_VISIT: "one_visit"}


def service_items_for(list_kind, locale_id):
    """Published service items on the list ``list_kind``, by 事项编码 (one query)."""
    from .models import ServiceItemPage

    items = ServiceItemPage.objects.published().filter(locale_id=locale_id)
    flag = FLAG_OF_LIST.get(list_kind)
    if flag:
        items = items.filter(**{flag: True})
    return items.defer("body").order_by("provincial_code", "pk")


def changes_for(list_kind, limit):
    """The latest ``limit`` change-log entries concerning the list ``list_kind``.

    Each entry records the lists it affected (``lists_changed``, a short JSON list); it is filtered here rather
    than with a JSON lookup, which SQLite lacks. The scan is bounded.
    """
    from .models import ServiceChange

    rows = ServiceChange.objects.select_related("page").order_by("-published_at", "-pk")
    if list_kind == ServiceListKind.ALL:
        return list(rows[:limit])
    picked = []
    for change in rows[: limit * 20]:
        if list_kind in change.lists_changed:
            picked.append(change)
            if len(picked) == limit:
                break
    return picked


def keyword_filter(tags):
    query = Q()
    for tag in tags:
        query |= Q(keywords__icontains=tag)
    return query


def tagged_items(tags, locale_id, limit=50):
    """Published items whose 关键词 include one of ``tags`` (whole keywords), newest first."""
    if not tags:
        return []
    candidates = (
        DisclosureItemPage.objects.published()
        .filter(keyword_filter(tags), locale_id=locale_id)
        .for_listing()
        .newest_first()[: limit * 4]
    )
    wanted = set(tags)
    return [item for item in candidates if wanted.intersection(item.keyword_list)][:limit]
