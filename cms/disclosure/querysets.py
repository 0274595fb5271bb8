from django.db.models import Exists, F, OuterRef, Window
from django.db.models.functions import Length, RowNumber, Substr
from wagtail.models import PageViewRestriction
from wagtail.query import PageQuerySet


class DisclosureItemQuerySet(PageQuerySet):
    def published(self):
        """Live, publicly viewable items: no view restriction (login, password, group) on them or an ancestor.

        Same result as Wagtail's ``live().public()``, but the restriction check is a NOT EXISTS subquery in
        the same SQL statement rather than a separate query each time a listing is built.
        """
        restricted = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
        return self.live().filter(~Exists(restricted))

    def newest_first(self):
        return self.order_by(F("publish_date").desc(nulls_last=True), "-pk")

    def in_department(self, department):
        return self.descendant_of(department)

    def latest_per_category(self, per_category, categories=None):
        """The newest ``per_category`` items of each category, in one query (a ROW_NUMBER window)."""
        qs = self
        if categories is not None:
            qs = qs.filter(category__in=list(categories))
        return qs.annotate(
            category_rank=Window(
                RowNumber(),
                partition_by=[F("category")],
                order_by=[F("publish_date").desc(nulls_last=True), F("pk").desc()],
            )
        ).filter(category_rank__lte=per_category)

    def newest_by_category(self, per_category, categories=None):
        """``{category: [newest items]}``, at most ``per_category`` each, in one query."""
        grouped = {}
        for item in self.latest_per_category(per_category, categories).newest_first():
            grouped.setdefault(item.category, []).append(item)
        return grouped
