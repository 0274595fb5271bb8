"""Result groups of the search page (搜索结果分类展现): 政策文件 / 政策解读 / 办事服务 / 新闻动态 / 互动交流,
plus 其他信息 for the rest, as the inspection indicators ask (R-WEB-7).

Disclosure items fall in a group by their 组配分类. Other pages (unit pages, 指南, sections, columns) fall in
the group of the section (频道页) they are under — a section's group is that of the first column it
features, so 政务服务 → 办事服务, 新闻中心 → 新闻动态, 互动交流 → 互动交流 — and otherwise in 其他信息.
"""

from django.db import models
from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from cms.disclosure.vocabularies import Category


class Group(models.TextChoices):
    POLICY = "policy", _("政策文件")
    INTERPRETATION = "interpretation", _("政策解读")
    SERVICE = "service", _("办事服务")
    NEWS = "news", _("新闻动态")
    INTERACTION = "interaction", _("互动交流")
    OTHER = "other", _("其他信息")


CATEGORY_GROUPS = {
    Category.POLICY: Group.POLICY,
    Category.PLANNING: Group.POLICY,
    Category.RULES: Group.POLICY,
    Category.INTERPRETATION: Group.INTERPRETATION,
    Category.SERVICES: Group.SERVICE,
    Category.LAW_ENFORCEMENT: Group.SERVICE,
    Category.NEWS: Group.NEWS,
    Category.NOTICES: Group.NEWS,
    Category.EMERGENCY: Group.NEWS,
    Category.CONCERNS: Group.INTERACTION,
    Category.BUDGET: Group.OTHER,
    Category.MAJOR_PROJECTS: Group.OTHER,
    Category.PUBLIC_RESOURCES: Group.OTHER,
    Category.PERSONNEL: Group.OTHER,
    Category.ANNUAL_REPORT: Group.OTHER,
}


def categories_of(group):
    return [category for category, g in CATEGORY_GROUPS.items() if g == group]


SECTION_CACHE_SECONDS = 300


def section_groups(root):
    """``[(section path, group)]`` for the sections (频道页) under ``root``, from their first featured column.
    Cached for five minutes: sections change rarely, and a stale entry only misfiles a section's own pages."""
    from django.core.cache import cache

    key = f"search:sections:{root.path}"
    cached = cache.get(key)
    if cached is None:
        cached = _section_groups(root)
        cache.set(key, cached, SECTION_CACHE_SECONDS)
    return [(path, Group(group)) for path, group in cached]


def _section_groups(root):
    from home.models import SectionFeaturedColumn

    first = {}
    links = (
        SectionFeaturedColumn.objects.filter(page__path__startswith=root.path, page__live=True)
        .order_by("page_id", "sort_order")
        .values_list("page__path", "column__category")
    )
    for path, category in links:
        if path not in first and category in CATEGORY_GROUPS:
            first[path] = CATEGORY_GROUPS[category].value
    return list(first.items())


def group_annotation(sections):
    """A Case expression giving each page's group (for the facet that counts results per group)."""
    whens = [
        When(disclosureitempage__category__in=categories_of(group), then=Value(group.value))
        for group in Group
        if categories_of(group)
    ]
    whens.append(When(disclosureitempage__isnull=False, then=Value(Group.OTHER.value)))
    whens += [When(path__startswith=path, then=Value(group.value)) for path, group in sections]
    return Case(*whens, default=Value(Group.OTHER.value), output_field=CharField())


def group_filter(group, sections):
    """A Q on Page that keeps the pages of ``group`` using FilterFields only (``id`` and ``path``)."""
    from cms.disclosure.models import DisclosureItemPage

    items = DisclosureItemPage.objects.all()
    if group == Group.OTHER:
        items = items.exclude(category__in=[c for c, g in CATEGORY_GROUPS.items() if g != Group.OTHER])
    else:
        items = items.filter(category__in=categories_of(group))
    q = Q(pk__in=items.values("pk"))
    not_item = ~Q(pk__in=DisclosureItemPage.objects.values("pk"))
    in_sections = Q(pk__in=[])
    for path, section_group in sections:
        if section_group == group:
            in_sections |= Q(path__startswith=path)
    if group == Group.OTHER:
        elsewhere = Q()
        for path, _group in sections:
            elsewhere &= ~Q(path__startswith=path)
        return q | (not_item & elsewhere)
    return q | (not_item & in_sections)
