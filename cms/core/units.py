"""The units (处室, 直属单位) as the layers below ``cms.departments`` see them: the hook they call.

The review gate must know whose reviewers hold a page's 政治关, syndication which unit's accounts a page may
use, disclosure which unit is an item's 发布机构. The units are ``cms.departments``' pages, a higher layer
those apps may not import (docs/architecture.md), so they call these functions, and the module named by
``settings.PORTAL_UNITS`` (``cms.departments.units``) answers. Layers above departments import that module
directly. Each function is documented where it is implemented.
"""

import importlib
from functools import cache

from django.conf import settings


@cache
def _units():
    return importlib.import_module(settings.PORTAL_UNITS)


def containing(page):
    """The nearest unit at or above ``page``, or None."""
    return _units().containing(page)


def reviewed_by(user):
    """The units whose reviewers ``user`` is one of (a queryset)."""
    return _units().reviewed_by(user)


def listed(locale_id=None):
    """Live units in tree order (a queryset)."""
    return _units().listed(locale_id)


def outline():
    """``[(path, title)]`` of every unit, deepest first."""
    return _units().outline()


def title_for_path(path, units_outline):
    """The title of the unit containing ``path``, from ``outline()``."""
    return _units().title_for_path(path, units_outline)


def unit_of_path(outer_path="path"):
    """A subquery of the unit of the page at ``OuterRef(outer_path)``."""
    return _units().unit_of_path(outer_path)
