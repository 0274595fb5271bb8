"""Result groups of the search page (搜索结果分类展现): 政策文件 / 政策解读 / 办事服务 / 新闻动态 / 互动交流,
plus 其他信息, as the inspection indicators ask (国办发〔2017〕47号 站内搜索).

A disclosure item falls in a group by its 组配分类, following the site's own sections: 政务服务 features
办事服务 and 行政执法, 新闻中心 工作动态, 通知公告 and 应急管理, 互动交流 回应关切. Items of the other
columns (预决算, 重大项目, 人事 …) and pages that are not items (unit pages, 指南, columns) are 其他信息.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.disclosure.models import DisclosureItemPage
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


def group_of_facet(facet):
    """The group of a result from its ``search_facet`` (an item's 组配分类; empty for other pages)."""
    return CATEGORY_GROUPS.get(facet, Group.OTHER)


def group_counts(facets):
    """{Group: count} from ``{search_facet: count}``, groups without results left out."""
    counts = {}
    for facet, count in facets.items():
        group = group_of_facet(facet)
        counts[group] = counts.get(group, 0) + count
    return {group: counts[group] for group in Group if counts.get(group)}


def group_filter(group):
    """A Q on Page for the pages of ``group``, through FilterFields only (``id``)."""
    items = DisclosureItemPage.objects.all()
    if group == Group.OTHER:
        others = [c for c, g in CATEGORY_GROUPS.items() if g != Group.OTHER]
        return ~Q(pk__in=items.filter(category__in=others).values("pk"))
    return Q(
        pk__in=items.filter(category__in=[c for c, g in CATEGORY_GROUPS.items() if g == group]).values("pk")
    )
