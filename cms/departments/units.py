"""Which unit (处室, 直属单位, 执法支队) a page or a person belongs to: the one place that answers.

A unit is a ``DepartmentPage``. Its content lives below it in the page tree, so the nearest unit above a page
is at once the page's 发布机构 and its permission boundary; its people are the members of its two groups
(``editors_group`` ·编辑 and ``reviewers_group`` ·审核), created with it (``permissions.py``).

The layers below this app (review, syndication, disclosure) may not import it; they call ``cms.core.units``,
which answers through this module (``settings.PORTAL_UNITS``). The layers above import it directly.
"""

from django.conf import settings
from django.db.models import OuterRef, Q
from django.db.models.functions import Length, Substr
from wagtail.models import Page

from .models import DepartmentPage


def containing(page):
    """The nearest unit at or above ``page`` (None above the units), in one query, remembered on the page."""
    if page is None:
        return None
    if "_unit" in page.__dict__:
        return page.__dict__["_unit"]
    steplen = Page.steplen
    paths = [page.path[:i] for i in range(steplen, len(page.path) + 1, steplen)] if page.path else []
    unit = DepartmentPage.objects.filter(path__in=paths).order_by("-depth").first() if paths else None
    page.__dict__["_unit"] = unit
    return unit


def of_user(user):
    """The units whose editors or reviewers ``user`` is one of (a queryset; none for an anonymous user)."""
    if not user.is_authenticated:
        return DepartmentPage.objects.none()
    groups = user.groups.all()
    return DepartmentPage.objects.filter(
        Q(editors_group__in=groups) | Q(reviewers_group__in=groups)
    ).distinct()


def reviewed_by(user):
    """The units whose reviewers (·审核, the 政治关 of their own content) ``user`` is one of."""
    if not user.is_authenticated:
        return DepartmentPage.objects.none()
    return DepartmentPage.objects.filter(reviewers_group__in=user.groups.all())


def default(slug=None):
    """The unit that takes what names no unit (a message, an application): ``slug``, or PORTAL_DEFAULT_UNIT."""
    slug = slug or settings.PORTAL_DEFAULT_UNIT
    return DepartmentPage.objects.filter(slug=slug).order_by("path").first() if slug else None


def listed(locale_id=None):
    """Live units in tree order, for choosers and filters (active and retired ones: archives stay findable)."""
    units = DepartmentPage.objects.live().order_by("path")
    return units.filter(locale_id=locale_id) if locale_id is not None else units


def outline():
    """``[(path, title)]`` of every unit, deepest first: ``title_for_path`` reads it without a query per row."""
    return sorted(DepartmentPage.objects.values_list("path", "title"), key=lambda unit: -len(unit[0]))


def title_for_path(path, units_outline):
    """The title of the unit containing the page at ``path`` (None above the units), from ``outline()``."""
    return next((title for unit_path, title in units_outline if path.startswith(unit_path)), None)


def unit_of_path(outer_path="path"):
    """A subquery of the unit whose child is the page at ``OuterRef(outer_path)``: items are a unit's children,
    so a queryset of items can be annotated with their unit's names in the same query (search indexing)."""
    return DepartmentPage.objects.filter(
        path=Substr(OuterRef(outer_path), 1, Length(OuterRef(outer_path)) - Page.steplen)
    )
