"""A Wagtail search backend that finds Chinese text, on SQLite (FTS5) and on PostgreSQL (tsvector + GIN).

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backend", "ASYNC_UPDATES": True}}

It implements Wagtail's backend API (``Page.objects.search()``, ``autocomplete()``, filters and ordering
from the queryset, ``facet()``, ``annotate_score()``, ``update_index``), so everything in Wagtail that
searches (the admin, choosers, search promotions) searches Chinese through it.

- Text is indexed as CJK bigrams plus words (``search/text.py``): every substring of two or more
  characters is found, with no segmentation dictionary to keep up to date.
- Each term of a query must appear as a phrase; several terms must all appear. Ranking is by tier (title,
  head fields, body; exact phrase first; ``search_demoted`` objects last) and newest first within a tier,
  see ``plan.py``. Scores for ``annotate_score`` are the tier (higher is better).
- Results always honour the queryset: ``live()``, ``public()``, locale and any other filter are applied
  in the same SQL statement, so an unpublished page disappears at once, before its entry is updated.
- ``ASYNC_UPDATES``: ``add()`` (Wagtail calls it on every save of an indexed object) queues the object for
  the Celery task ``search.index_objects`` after the transaction commits, instead of indexing inside the
  request. ``add_bulk()`` and ``update_index`` always index at once.
- ``MAX_TEXT_CHARS`` (default 100,000): the text indexed per column and object; long attachments beyond
  it are not searchable.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    EmptySearchResults,
    FilterFieldError,
)
from modelsearch.index import SearchField
from modelsearch.utils import get_descendants_content_types_pks

from .documents import document_for
from .plan import Segment, build_plan
from .storage import QuerysetFilter, SearchSpec, connection_for, get_storage

FACET = "search_facet"
SEARCH_COLUMNS = {"title": ["title"], "head": ["head"], "any": ["title", "head", "body"]}
AUTOCOMPLETE_COLUMNS = {"title": ["autocomplete"], "head": ["autocomplete"], "any": ["autocomplete"]}


def _storage():
    from ..models import IndexEntry

    return get_storage(connection_for(IndexEntry))


class EntryIndex(BaseIndex):
    def __init__(self, backend):
        super().__init__(backend)
        self.storage = _storage()

    def add_items(self, model, items):
        if not model.get_search_fields():
            return
        docs = [document_for(obj, self.backend.max_text_chars) for obj in items]
        self.storage.write(ContentType.objects.get_for_model(model).pk, docs)

    def delete_item(self, item):
        self.storage.delete(ContentType.objects.get_for_model(item._meta.model).pk, [item.pk])

    def delete_objects(self, model, object_ids):
        self.storage.delete(ContentType.objects.get_for_model(model).pk, object_ids)

    def reset(self):
        self.storage.reset()


class Rebuilder:
    """``update_index``: empty the index and fill it again, in one transaction (searches see the old index
    until the new one is complete), then let the database tidy its full-text structures."""

    def __init__(self, index):
        self.index = index
        self.atomic = transaction.atomic(using=index.storage.alias)
        self.open = False

    def start(self):
        self.atomic.__enter__()
        self.open = True
        self.index.reset()
        return self.index

    def finish(self):
        self.atomic.__exit__(None, None, None)
        self.open = False
        self.index.storage.optimize()

    def __del__(self):
        if self.open:  # the rebuild failed part-way: roll it back
            self.atomic.__exit__(RuntimeError, RuntimeError("index rebuild interrupted"), None)


class SearchCompiler(BaseSearchQueryCompiler):
    DEFAULT_OPERATOR = "and"
    HANDLES_ORDER_BY_EXPRESSIONS = True
    PREFIX = False
    COLUMNS = SEARCH_COLUMNS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = build_plan(self.query, prefix=self.PREFIX)

    def columns(self):
        if not self.fields:
            return self.COLUMNS
        model = self.queryset.model
        boosts = {f.field_name: f.boost or 1 for f in model.get_search_fields() if isinstance(f, SearchField)}
        chosen = set()
        for name in self.fields:
            if name == "title":
                chosen.add("title")
            elif boosts.get(name, 1) > 1:
                chosen.add("head")
            else:
                chosen.add("body")
        ordered = [c for c in ("title", "head", "body") if c in chosen]
        return {"title": ordered, "head": ordered, "any": ordered}

    def spec(self, queryset=None, facet=None):
        queryset = self.queryset if queryset is None else queryset
        storage = _storage()
        return SearchSpec(
            get_descendants_content_types_pks(self.queryset.model),
            QuerysetFilter(queryset, storage.connection, facet=facet),
            self.columns(),
        )

    def segments(self):
        if not self.order_by_relevance:
            return [Segment(self.plan.match_conditions(), None)]
        return self.plan.segments()

    @property
    def explicit_ordering(self):
        return not self.order_by_relevance and bool(self.queryset.query.order_by)


class AutocompleteCompiler(SearchCompiler):
    PREFIX = True
    COLUMNS = AUTOCOMPLETE_COLUMNS

    def segments(self):
        """One column: current objects first, then demoted ones, newest first."""
        if not self.order_by_relevance:
            return super().segments()
        return [Segment(self.plan.match_conditions(), demoted) for demoted in (False, True)]

    def check(self):
        if self.fields:
            allowed = {f.field_name for f in self.queryset.model.get_autocomplete_search_fields()}
            unknown = set(self.fields) - allowed
            if unknown:
                from modelsearch.backends.base import SearchFieldError

                name = sorted(unknown)[0]
                raise SearchFieldError(
                    f'Cannot autocomplete with field "{name}". Please add index.AutocompleteField("{name}") '
                    f"to {self.queryset.model.__name__}.search_fields.",
                    field_name=name,
                )
            self.fields = None  # every autocomplete field is in the one autocomplete column
        self._get_filters_from_queryset(check_only=True)
        list(self._get_order_by())


class SearchResults(BaseSearchResults):
    supports_facet = True

    def __init__(self, backend, query_compiler, prefetch_related=None):
        super().__init__(backend, query_compiler, prefetch_related=prefetch_related)
        self._shared = {}  # the count, kept across the slices a paginator takes

    def _clone(self):
        new = super()._clone()
        new._shared = self._shared
        return new

    def prime_count(self, count, estimated=False, matches=None):
        """Tell the results their count when the caller already knows it (e.g. from a facet over the same
        query), so paging them does not count again. ``matches``: the number of matches when ``count``
        is less (the results paged through), which sizes the storage's windows."""
        self._shared["count"] = count
        self._shared["estimated"] = estimated
        self._shared["matches"] = count if matches is None else matches

    @property
    def count_is_estimate(self):
        """True when ``count()`` (or the last ``facet("search_facet")``) was estimated: on PostgreSQL,
        beyond a thousand matches (``PostgresStorage.EXACT_COUNT_UP_TO``)."""
        return self._shared.get("estimated", False)

    @property
    def compiler(self):
        return self.query_compiler

    def _orm_queryset(self):
        """The plans the storage does not order itself: match-all, a negated query, or the queryset's own
        ordering. The matches become a ``pk IN (…)`` filter on the queryset."""
        compiler, plan = self.compiler, self.compiler.plan
        queryset = compiler.queryset
        if plan.match_all:
            return queryset if queryset.query.order_by else queryset.order_by("-pk")
        spec = compiler.spec()
        storage = _storage()
        if spec.queryset_filter.empty:
            return queryset.none()
        sql, params = storage.select("e.object_id", spec, plan.match_conditions())
        from django.db.models.expressions import RawSQL

        matches = RawSQL(sql, params)
        if plan.negated:
            queryset = queryset.exclude(pk__in=matches)
        else:
            queryset = queryset.filter(pk__in=matches)
        return queryset if queryset.query.order_by else queryset.order_by("-pk")

    def _uses_orm(self):
        plan = self.compiler.plan
        return plan.match_all or plan.negated or self.compiler.explicit_ordering

    def _do_count(self):
        if "count" in self._shared:
            return self._shared["count"]
        plan = self.compiler.plan
        if plan.empty:
            count = 0
        elif self._uses_orm():
            count = self._orm_queryset().count()
        else:
            spec = self.compiler.spec()
            if not spec.queryset_filter.empty:
                count, self._shared["estimated"] = _storage().count_or_estimate(spec, plan.match_conditions())
            else:
                count = 0
        self._shared["count"] = count
        return count

    def _do_search(self):
        plan = self.compiler.plan
        if plan.empty:
            return []
        if self._uses_orm():
            queryset = self._orm_queryset()
            if self.prefetch_related:
                queryset = queryset.prefetch_related(*self.prefetch_related)
            results = list(queryset[self.start : self.stop])
            if self._score_field:
                for obj in results:
                    setattr(obj, self._score_field, None)
            return results
        spec = self.compiler.spec()
        if spec.queryset_filter.empty:
            return []
        segments = self.compiler.segments()
        rows = _storage().ids(
            spec,
            segments,
            self.start,
            self.stop,
            total=self._shared.get("matches", self._shared.get("count")),
        )
        if not rows:
            return []
        queryset = self.compiler.queryset.filter(pk__in=[object_id for object_id, _seg in rows])
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        objects = {obj.pk: obj for obj in queryset}
        results = []
        for object_id, position in rows:
            obj = objects.get(object_id)
            if obj is None:
                continue
            if self._score_field:
                setattr(obj, self._score_field, float(len(segments) - position))
            results.append(obj)
        return results

    def facet(self, field_name):
        """``{value: count}`` over all matches, most frequent first. ``field_name`` is a FilterField of the
        searched model, an annotation of its queryset, or ``"search_facet"``: the objects' ``search_facet``
        kept in the index entries, counted without reading the objects' own tables."""
        compiler = self.compiler
        queryset = compiler.queryset
        field = compiler._get_filterable_field(field_name)
        if field is None and field_name not in queryset.query.annotations and field_name != FACET:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add '
                f"index.FilterField('{field_name}') to {queryset.model.__name__}.search_fields.",
                field_name=field_name,
            )
        plan = compiler.plan
        if plan.empty:
            return {}
        if field_name == FACET and not self._uses_orm():
            spec = compiler.spec()
            if spec.queryset_filter.empty:
                return {}
            rows, self._shared["estimated"] = _storage().entry_facet(spec, plan.match_conditions())
        elif self._uses_orm():
            from django.db.models import Count

            if field_name == FACET:
                raise FilterFieldError("search_facet can only be counted for text queries", field_name=FACET)
            rows = self._orm_queryset().order_by().values_list(field_name).annotate(n=Count("pk"))
        else:
            spec = compiler.spec()
            if spec.queryset_filter.empty:
                return {}
            facet_filter = QuerysetFilter(queryset, _storage().connection, facet=field_name)
            rows = _storage().facet(spec, plan.match_conditions(), facet_filter)
        return dict(sorted(rows, key=lambda row: -row[1]))


class ChineseSearchBackend(BaseSearchBackend):
    query_compiler_class = SearchCompiler
    autocomplete_query_compiler_class = AutocompleteCompiler
    index_class = EntryIndex
    results_class = SearchResults
    rebuilder_class = Rebuilder

    def __init__(self, params):
        super().__init__(params)
        self.async_updates = bool(params.get("ASYNC_UPDATES", False))
        self.max_text_chars = int(params.get("MAX_TEXT_CHARS", 100_000))

    def add(self, obj):
        if self.async_updates:
            from ..indexing import schedule

            schedule(obj._meta.model, obj.pk)
        else:
            super().add(obj)

    def delete_objects(self, model, object_ids):
        self.get_index_for_model(model).delete_objects(model, object_ids)

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        results = super()._search(query_compiler_class, query, model_or_queryset, **kwargs)
        if not isinstance(results, EmptySearchResults) and results.query_compiler.plan.empty:
            return EmptySearchResults()
        return results


SearchBackend = ChineseSearchBackend
