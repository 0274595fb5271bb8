from django.db import connections
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet

from .vocabularies import Category


class DisclosureItemQuerySet(PageQuerySet):
    def published(self):
        """Live, publicly viewable items: no view restriction (login, password, group) on them or an ancestor.

        Same result as Wagtail's ``live().public()``, but the restriction check is a NOT EXISTS subquery in
        the same SQL statement rather than a separate query each time a listing is built. The subquery's only
        table is ``pageviewrestriction`` (the restricted page's path comes from a scalar subquery by primary
        key), so every planner drives it from that small table; a join with the page table let SQLite, once
        ANALYZEd, scan all pages for every item.
        """
        restricted_path = Page.objects.filter(pk=OuterRef("page_id")).values("path")[:1]
        restrictions = PageViewRestriction.objects.annotate(restricted_path=Subquery(restricted_path)).filter(
            restricted_path=Substr(OuterRef("path"), 1, Length("restricted_path"))
        )
        return self.live().filter(~Exists(restrictions))

    def newest_first(self):
        """Newest 发布日期 first. Published items always have one (it is set at first publish), so a plain
        descending order lets the database walk the (category, publish_date) index backwards."""
        return self.order_by("-publish_date", "-pk")

    def in_department(self, department):
        """The unit's items. A unit that ceased in a reorganization handed its content on: its items are those
        it published (now under its successors), found by the 发布机构 name they keep."""
        if department.status != "active" and not department.numchild:
            return self.filter(publisher_name=department.title, locale_id=department.locale_id)
        return self.descendant_of(department)

    def for_listing(self):
        """Listings show titles, dates and metadata, never the body text."""
        return self.defer("body")

    def latest_per_category(self, per_category, categories=None):
        """The newest ``per_category`` items of each category, in one query.

        One ``… ORDER BY publish_date DESC LIMIT n`` branch per category, each walking the (category,
        publish_date) index and stopping after n rows, so the cost does not grow with the number of items (a
        ROW_NUMBER() window ranks every item). The branches carry all of this queryset's filters; the outer
        query only matches their primary keys. Where the database allows LIMIT inside a compound select
        (PostgreSQL) the branches form one UNION ALL; SQLite gets one IN-subquery per branch.
        """
        categories = Category.values if categories is None else list(categories)
        if not categories:
            return self.none()
        branches = [self.filter(category=c).newest_first().values("pk")[:per_category] for c in categories]
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            newest = Q(pk__in=branches[0].union(*branches[1:], all=True))
        else:
            newest = Q(pk__in=[])
            for branch in branches:
                newest |= Q(pk__in=Subquery(branch))
        return self.model._default_manager.using(self.db).filter(newest)

    def newest_by_category(self, per_category, categories=None):
        """``{category: [newest items]}``, at most ``per_category`` each, in one query."""
        grouped = {}
        for item in self.latest_per_category(per_category, categories).for_listing().newest_first():
            grouped.setdefault(item.category, []).append(item)
        return grouped
