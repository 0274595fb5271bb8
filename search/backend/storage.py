"""Where the index lives: a table of entries (``search.IndexEntry``: ``key``, content type, object id,
``demoted``, ``facet``) plus, per database, its full-text structure:

- SQLite: the FTS5 table ``search_indexentry_fts`` (columns title, head, body, autocomplete) whose rowid is
  the entry's ``key`` (date order). FTS5 walks a match in rowid order, so "newest first" costs nothing, and a page
  of results is one ``UNION ALL`` of the ranking tiers that SQLite merges lazily: it stops reading when
  the page is full, whatever the number of matches.
- PostgreSQL: tsvector columns on the entry table, built with the ``simple`` configuration from the
  pre-tokenised text (no extension needed). ``body_vector`` holds every token of the object, without
  positions, behind a GIN index; ``title_vector`` and ``head_vector`` keep positions, so a title tier is an
  exact phrase test on a small inline value. ``body_vector`` has no planner statistics on purpose: with
  them, a term found in most rows (交通) makes PostgreSQL choose a sequential scan that decompresses every
  vector (300 ms at 100,000 items, against 25 ms through GIN).

On PostgreSQL a body phrase is matched as all of its bigrams (in any order); the tiers test phrases exactly
in titles and head fields. On SQLite phrases are exact everywhere.

PostgreSQL at 100,000 items (``bench/search.py``): the cost of a query is kept to a bounded number of rows,
whatever the number of matches, in three ways.

- Counts are exact up to ``EXACT_COUNT_UP_TO`` (1,000) matches and estimated beyond (``count_is_estimate``
  on the results; the search page says 约). Counting all 98,000 matches of 交通 and joining each to its
  page took 800 ms. A query found in at least 5% of a random sample of 300 entries is estimated from the
  sample (``_probe``); any other reads the first 1,001 matches through the GIN index and extrapolates
  from the heap blocks they came from.
- A tier is looked for first among the newest entries, in windows sized from the count (``window_bounds``):
  read in key order they stop at the page size, where the GIN index hands over every match of the tier to
  be joined to its page and sorted. The first window that holds the page holds the tier's newest matches,
  so the order is the same as without windows.
- A tier that requires a title or head match is driven by their GIN indexes (which have statistics) or
  the key order; its body condition only filters.
"""

from django.db import connections, transaction
from django.db.models import F
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import EmptyResultSet

from .documents import KEY_FACTOR
from .plan import AllOf, Term

ENTRY_TABLE = "search_indexentry"
FTS_TABLE = "search_indexentry_fts"


def get_storage(connection):
    if connection.vendor == "sqlite":
        return SQLiteStorage(connection)
    if connection.vendor == "postgresql":
        return PostgresStorage(connection)
    raise NotImplementedError(f"The search backend supports SQLite and PostgreSQL, not {connection.vendor}.")


def _single_valued(query):
    """True if every join of ``query`` follows a forward foreign key or one-to-one (multi-table inheritance
    included), so joining the queryset's rows to index entries cannot repeat an entry."""
    if query.distinct or query.is_sliced or query.combinator:
        return False
    for join in query.alias_map.values():
        if isinstance(join, Join):
            field = join.join_field  # a field, or for a reverse relation its ForeignObjectRel
            if not (getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False)):
                return False
    return True


class QuerysetFilter:
    """The SQL of a queryset's filter, to join index entries to: ``(sql, params)`` selecting the primary
    key as ``_search_pk`` (and a facet value as ``_search_facet``)."""

    def __init__(self, queryset, connection, facet=None):
        values = {"_search_pk": F("pk")}
        if facet is not None:
            values["_search_facet"] = F(facet)
        qs = queryset.order_by().annotate(**values).values(*values)
        self.single_valued = _single_valued(queryset.query)
        try:
            self.sql, self.params = qs.query.get_compiler(connection=connection).as_sql()
        except EmptyResultSet:
            self.sql, self.params = None, []

    @property
    def empty(self):
        return self.sql is None

    def join(self):
        """A JOIN clause when safe (the planner can then drive the join from either side); else None."""
        if self.single_valued:
            return f" JOIN ({self.sql}) AS q ON q._search_pk = e.object_id", list(self.params)
        return None

    def semijoin(self):
        return f" AND e.object_id IN (SELECT _search_pk FROM ({self.sql}) AS q)", list(self.params)


class Storage:
    def __init__(self, connection):
        self.connection = connection
        self.alias = connection.alias

    # Writing ---------------------------------------------------------------------------------------------

    def write(self, content_type_id, docs):
        """Insert or replace the entries of ``docs`` (all of one content type). An entry keeps its key while
        its date does not change; otherwise it gets a new key (a new place in date order)."""
        from ..models import IndexEntry

        docs = list({doc.object_id: doc for doc in docs}.values())
        if not docs:
            return
        entries = IndexEntry.objects.using(self.alias)
        with transaction.atomic(using=self.alias):
            existing = dict(
                entries.filter(
                    content_type_id=content_type_id, object_id__in=[d.object_id for d in docs]
                ).values_list("object_id", "key")
            )
            self.remove_text(list(existing.values()))
            kept, renewed = [], []
            for doc in docs:
                key = existing.get(doc.object_id)
                if key is not None and key // KEY_FACTOR == doc.seconds:
                    kept.append((doc, key))
                else:
                    renewed.append(doc)
            stale = [existing[d.object_id] for d in renewed if d.object_id in existing]
            if stale:
                entries.filter(key__in=stale)._raw_delete(using=self.alias)
            numbers = self.allocate(len(renewed))
            created = [
                (doc, doc.seconds * KEY_FACTOR + number) for doc, number in zip(renewed, numbers, strict=True)
            ]
            if kept:
                with self.connection.cursor() as cursor:
                    cursor.executemany(
                        f"UPDATE {ENTRY_TABLE} SET demoted = %s, facet = %s WHERE key = %s",
                        [(doc.demoted, doc.facet, key) for doc, key in kept],
                    )
            self.insert(content_type_id, created, kept)

    def insert(self, content_type_id, created, kept):
        """Store the new entries ``created`` and the text of all of them; ``kept`` entries exist already."""
        from ..models import IndexEntry

        IndexEntry.objects.using(self.alias).bulk_create(
            [
                IndexEntry(
                    key=key,
                    content_type_id=content_type_id,
                    object_id=doc.object_id,
                    demoted=doc.demoted,
                    facet=doc.facet,
                )
                for doc, key in created
            ]
        )
        self.add_text(kept + created)

    def allocate(self, count):
        """``count`` fresh sequence numbers (below KEY_FACTOR) from the one-row KeySequence."""
        from ..models import KeySequence

        if not count:
            return []
        sequence = KeySequence.objects.using(self.alias)
        sequence.get_or_create(pk=1)
        sequence.filter(pk=1).update(last=F("last") + count)
        last = sequence.values_list("last", flat=True).get(pk=1)
        return [number % KEY_FACTOR for number in range(last - count + 1, last + 1)]

    def delete(self, content_type_id, object_ids):
        from ..models import IndexEntry

        entries = IndexEntry.objects.using(self.alias).filter(
            content_type_id=content_type_id, object_id__in=list(object_ids)
        )
        with transaction.atomic(using=self.alias):
            self.remove_text(list(entries.values_list("key", flat=True)))
            entries._raw_delete(using=self.alias)

    def reset(self):
        from ..models import IndexEntry

        with transaction.atomic(using=self.alias):
            self.clear_text()
            IndexEntry.objects.using(self.alias).all()._raw_delete(using=self.alias)

    def add_text(self, rows):
        raise NotImplementedError

    def remove_text(self, keys):
        pass

    def clear_text(self):
        pass

    def optimize(self):
        pass

    # Reading ---------------------------------------------------------------------------------------------

    def _run(self, sql, params):
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self, spec, conditions):
        sql, params = self.select("count(*)", spec, conditions)
        return self._run(sql, params)[0][0]

    def count_or_estimate(self, spec, conditions):
        """``(count, estimated)``: the number of matches; ``estimated`` when it was extrapolated."""
        return self.count(spec, conditions), False

    def facet(self, spec, conditions, facet_filter):
        sql, params = self.select(
            "q._search_facet, count(DISTINCT e.key)", spec, conditions, qs=facet_filter, force_join=True
        )
        return self._run(sql + " GROUP BY q._search_facet", params)

    @staticmethod
    def entry_filter(spec, conditions):
        """`` AND …`` on the entry's own columns: the searched models' content types, and ``demoted``."""
        sql = " AND e.content_type_id IN (" + ", ".join(["%s"] * len(spec.content_type_ids)) + ")"
        params = list(spec.content_type_ids)
        for where, value, _wanted in conditions:
            if where == "demoted":
                sql += " AND e.demoted = %s"
                params.append(value)
        return sql, params

    def entry_facet(self, spec, conditions):
        """``([(search_facet value, count)], estimated)`` of the matches, from the entries alone."""
        sql, params = self.select("e.facet, count(*)", spec, conditions)
        return self._run(sql + " GROUP BY e.facet", params), False

    def union_ids(self, spec, segments, start, stop):
        """``[(object_id, segment index)]`` of the results ``start:stop`` in one statement: the segments'
        SELECTs in a UNION ALL ordered by (segment, key desc)."""
        branches, params = [], []
        for position, segment in enumerate(segments):
            sql, branch_params = self.segment_select(spec, segment, position)
            branches.append(f"({sql})" if self.PARENTHESISE_BRANCHES else sql)
            params += branch_params
        sql = "SELECT oid, seg, k FROM (" + " UNION ALL ".join(branches) + ") AS u ORDER BY seg, k DESC"
        sql += " LIMIT %s OFFSET %s"
        params += [self.no_limit if stop is None else stop - start, start]
        return [(oid, seg) for oid, seg, _k in self._run(sql, params)]

    def sequential_ids(self, spec, segments, start, stop):
        """The same, one query per segment, each stopping when the page is full; segments before ``start``
        are skipped by their counts."""
        results, offset = [], start
        for position, segment in enumerate(segments):
            want = None if stop is None else stop - start - len(results)
            if want is not None and want <= 0:
                break
            rows = self.segment_ids(spec, segment, want, offset)
            if rows:
                results.extend((object_id, position) for object_id in rows)
                offset = 0
            elif offset:
                offset -= min(offset, self.count(spec, segment.conditions + spec.demoted(segment)))
        return results


class SearchSpec:
    """Everything a query needs besides its conditions: content types, queryset filter, columns."""

    def __init__(self, content_type_ids, queryset_filter, columns):
        self.content_type_ids = list(content_type_ids)
        self.queryset_filter = queryset_filter
        self.columns = columns  # where ("title", "head", "any") -> the columns to search

    @staticmethod
    def demoted(segment):
        return (("demoted", segment.demoted, True),) if segment.demoted is not None else ()


# SQLite ------------------------------------------------------------------------------------------------------


def fts_expression(expression):
    if isinstance(expression, Term):
        phrase = expression.phrase
        return '"' + " ".join(phrase.tokens) + '"' + ("*" if phrase.prefix else "")
    joiner = " AND " if isinstance(expression, AllOf) else " OR "
    return "(" + joiner.join(fts_expression(part) for part in expression.parts) + ")"


class SQLiteStorage(Storage):
    COLUMNS = ("title", "head", "body", "autocomplete")
    PARENTHESISE_BRANCHES = False
    no_limit = -1

    def add_text(self, rows):
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, head, body, autocomplete) VALUES (%s, %s, %s, %s, %s)",
                [(key, doc.title, doc.head, doc.body, doc.autocomplete) for doc, key in rows],
            )

    def remove_text(self, keys):
        if keys:
            with self.connection.cursor() as cursor:
                cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(key,) for key in keys])

    def clear_text(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")

    def optimize(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")

    def match(self, spec, conditions):
        """The FTS5 MATCH string of a conjunction of conditions (at least one of them wanted)."""
        positive, negative = [], []
        for where, expression, wanted in conditions:
            if where == "demoted":
                continue
            columns = spec.columns[where]
            if set(columns) == {"title", "head", "body"}:
                # Every text column (autocomplete repeats the title): no filter, a third faster for FTS5.
                clause = fts_expression(expression)
            else:
                column_filter = columns[0] if len(columns) == 1 else "{" + " ".join(columns) + "}"
                clause = f"{column_filter} : {fts_expression(expression)}"
            (positive if wanted else negative).append(clause)
        sql = " AND ".join(positive)
        for clause in negative:
            sql = f"({sql}) NOT {clause}"
        return sql

    def select(self, columns, spec, conditions, qs=None, force_join=False, extra=""):
        qs = qs or spec.queryset_filter
        params = []
        sql = f"SELECT {columns} FROM {FTS_TABLE} JOIN {ENTRY_TABLE} AS e ON e.key = {FTS_TABLE}.rowid"
        join = qs.join()
        if join is None and force_join:
            join = (f" JOIN ({qs.sql}) AS q ON q._search_pk = e.object_id", list(qs.params))
        if join is not None:
            sql += join[0]
            params += join[1]
        sql += f" WHERE {FTS_TABLE} MATCH %s"
        params.append(self.match(spec, conditions))
        entry_sql, entry_params = self.entry_filter(spec, conditions)
        sql += entry_sql
        params += entry_params
        if join is None:
            semijoin = qs.semijoin()
            sql += semijoin[0]
            params += semijoin[1]
        return sql + extra, params

    def segment_select(self, spec, segment, position):
        return self.select(
            f"e.object_id AS oid, {position} AS seg, {FTS_TABLE}.rowid AS k",
            spec,
            segment.conditions + spec.demoted(segment),
        )

    def segment_ids(self, spec, segment, limit, offset):
        sql, params = self.segment_select(spec, segment, 0)
        sql += f" ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s OFFSET %s"
        return [row[0] for row in self._run(sql, params + [-1 if limit is None else limit, offset])]

    def ids(self, spec, segments, start, stop, total=None):
        """One statement whatever the number of matches: SQLite merges the UNION ALL lazily from FTS5's
        rowid order and stops reading once ``stop`` rows are found."""
        return self.union_ids(spec, segments, start, stop)


# PostgreSQL --------------------------------------------------------------------------------------------------


def tsquery(expression, positional):
    if isinstance(expression, Term):
        phrase = expression.phrase
        tokens = [f"'{token}'" for token in phrase.tokens]
        if phrase.prefix:
            tokens[-1] += ":*"
        return "(" + (" <-> " if positional else " & ").join(tokens) + ")"
    joiner = " & " if isinstance(expression, AllOf) else " | "
    return "(" + joiner.join(tsquery(part, positional) for part in expression.parts) + ")"


class PostgresStorage(Storage):
    # column -> positions kept (phrases tested exactly) or not (all bigrams of a phrase, in any order)
    VECTORS = {
        "title": "title_vector",
        "head": "head_vector",
        "body": "body_vector",
        "autocomplete": "autocomplete_vector",
    }
    POSITIONAL = {"title", "head", "autocomplete"}
    BATCH = 200
    PARENTHESISE_BRANCHES = True
    no_limit = None
    # Up to this many matches, one UNION ALL statement (PostgreSQL's Merge Append computes every branch,
    # cheap for few rows); beyond it, one query per segment, each walking the key index.
    UNION_UP_TO = 200
    # Windows of newest entries a tier is first looked for in (see segment_ids and window_bounds).
    WINDOW_SLACK = 4
    WINDOW_MIN = 200
    BODY_WINDOW_UP_TO = 600
    # Random sample for the count of queries found in many entries (see _probe), from this many entries.
    SAMPLE_FROM = 20_000
    SAMPLE_ROWS = 300
    DENSE_SHARE = 0.05
    windows = ()
    EXACT_COUNT_UP_TO = 1000
    GIN_INDEXES = [f"{ENTRY_TABLE}_{column}_gin" for column in ("title", "head", "body", "autocomplete")]

    VECTOR_VALUES = """to_tsvector('simple', v.title), to_tsvector('simple', v.head),
        strip(to_tsvector('simple', v.title || ' ' || v.head || ' ' || v.body)),
        to_tsvector('simple', v.autocomplete)"""

    def insert(self, content_type_id, created, kept):
        """New entries are inserted with their vectors in one statement per batch: inserting them empty
        and then updating them wrote every row and every index entry twice (and left a dead row each)."""
        for offset in range(0, len(created), self.BATCH):
            batch = created[offset : offset + self.BATCH]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(batch))
            params = []
            for doc, key in batch:
                params += [
                    key,
                    doc.object_id,
                    doc.demoted,
                    doc.facet,
                    doc.title,
                    doc.head,
                    doc.body,
                    doc.autocomplete,
                ]
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"""INSERT INTO {ENTRY_TABLE} (key, content_type_id, object_id, demoted, facet,
                        title_vector, head_vector, body_vector, autocomplete_vector)
                    SELECT v.key, %s, v.object_id, v.demoted, v.facet, {self.VECTOR_VALUES}
                    FROM (VALUES {values}) AS v(key, object_id, demoted, facet, title, head, body, autocomplete)""",
                    [content_type_id, *params],
                )
        self.add_text(kept)

    def add_text(self, rows):
        for offset in range(0, len(rows), self.BATCH):
            batch = rows[offset : offset + self.BATCH]
            values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(batch))
            params = []
            for doc, key in batch:
                params += [key, doc.title, doc.head, doc.body, doc.autocomplete]
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"""UPDATE {ENTRY_TABLE} AS e SET
                        title_vector = to_tsvector('simple', v.title),
                        head_vector = to_tsvector('simple', v.head),
                        body_vector = strip(to_tsvector('simple', v.title || ' ' || v.head || ' ' || v.body)),
                        autocomplete_vector = to_tsvector('simple', v.autocomplete)
                    FROM (VALUES {values}) AS v(key, title, head, body, autocomplete)
                    WHERE e.key = v.key""",
                    params,
                )

    def optimize(self):
        """After a rebuild: merge the GIN indexes' pending lists into the indexes (until then every query
        reads up to 4 MB of unsorted pending entries: 10 to 30 ms on a title tier at 100,000 items), and
        refresh the planner's statistics."""
        with self.connection.cursor() as cursor:
            for index in self.GIN_INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute(f"ANALYZE {ENTRY_TABLE}")

    # Counting: exact up to EXACT_COUNT_UP_TO matches, estimated beyond ---------------------------------

    def _sample(self, columns, spec, conditions):
        """A SELECT of ``columns`` over the first EXACT_COUNT_UP_TO + 1 matches, each with ``_block``, the
        heap block of its entry. A match is found through the GIN index as a bitmap, whose heap scan reads
        the matches in block order and stops after the limit: the cost is that of the posting lists plus a
        thousand rows, whatever the number of matches (counting 98,000 matches of 交通 and joining each to
        its page took 800 ms)."""
        inner, params = self.select(f"{columns}, (e.ctid::text::point)[0] AS _block", spec, conditions)
        return f"({inner} LIMIT %s) AS s", params + [self.EXACT_COUNT_UP_TO + 1]

    def _extrapolate(self, sampled, first_block, last_block, pages):
        """The number of matches if they continue over the rest of the table as they do over the blocks
        ``first_block``..``last_block`` that held the first ``sampled`` (the table's matches are spread
        over its blocks independently of the query; blocks before the first match are left out, as after
        a rebuild they hold the dead entries of the previous index)."""
        covered = max(1, last_block - first_block + 1)
        return max(sampled, round(sampled * max(covered, pages - first_block) / covered))

    def _probe(self, spec, conditions):
        """``[(facet, matches)]`` in a random sample of about SAMPLE_ROWS entries (whole heap blocks,
        ``TABLESAMPLE SYSTEM``, the same blocks every time), scaled to the whole index, when the query
        matches at least DENSE_SHARE of them; else None. Testing a few hundred body vectors costs less
        than reading the GIN posting lists of a word found in most entries (交通: 98,000 postings, 25 ms)."""
        entries, pages = self._run(
            "SELECT reltuples, relpages FROM pg_class WHERE oid = %s::regclass", [ENTRY_TABLE]
        )[0]
        if entries < self.SAMPLE_FROM or pages <= 0:
            return None
        percent = min(100.0, 100.0 * self.SAMPLE_ROWS / entries)
        sample = f" TABLESAMPLE SYSTEM ({percent:.4f}) REPEATABLE (0)"
        inner, params = self.select("e.facet", spec, conditions, walk=True, sample=sample)
        sql = (
            f"SELECT facet, count(*), (SELECT count(*) FROM {ENTRY_TABLE}{sample}) FROM ({inner}) AS s "
            "GROUP BY facet"
        )
        rows = self._run(sql, params)
        hits = sum(row[1] for row in rows)
        sampled = rows[0][2] if rows else 0
        if not sampled or hits < self.DENSE_SHARE * sampled or hits < 10:
            return None
        scale = entries / sampled
        if hits * scale <= self.EXACT_COUNT_UP_TO:
            return None
        return [(facet, max(1, round(n * scale))) for facet, n, _sampled in rows]

    def entry_facet(self, spec, conditions):
        """Counted exactly up to EXACT_COUNT_UP_TO matches. Beyond: for a query that matches many of the
        entries, estimated from a random sample (``_probe``); else counted over the first
        EXACT_COUNT_UP_TO + 1 matches, each value's share of them scaled to the extrapolated total."""
        probed = self._probe(spec, conditions)
        if probed is not None:
            return probed, True
        sample, params = self._sample("e.facet", spec, conditions)
        sql = (
            "SELECT facet, count(*), min(_block), max(_block), "
            f"pg_relation_size('{ENTRY_TABLE}') / current_setting('block_size')::int FROM {sample} "
            "GROUP BY facet"
        )
        rows = self._run(sql, params)
        sampled = sum(row[1] for row in rows)
        if sampled <= self.EXACT_COUNT_UP_TO:
            return [(facet, n) for facet, n, *_rest in rows], False
        first, last = min(int(row[2]) for row in rows), max(int(row[3]) for row in rows)
        total = self._extrapolate(sampled, first, last, rows[0][4])
        return [(facet, max(1, round(n * total / sampled))) for facet, n, *_rest in rows], True

    def count_or_estimate(self, spec, conditions):
        rows, estimated = self.entry_facet(spec, conditions)
        return sum(n for _facet, n in rows), estimated

    def condition(self, spec, where, expression, wanted, indexable=True):
        """``indexable`` False: written so that the planner cannot drive the query from the GIN index of
        body_vector (whose selectivity it cannot estimate, see the module docstring): the condition is then
        tested on the rows another index found."""
        columns = spec.columns[where]
        if {"title", "head", "body"} <= set(columns):
            columns = ["body"]  # body_vector holds the title and head tokens too
        parts = []
        for column in columns:
            vector = self.VECTORS[column]
            test = f"e.{vector} @@ to_tsquery('simple', %s)"
            parts.append(test if indexable or column != "body" else f"({test}) IS TRUE")
        params = []
        for column in columns:
            params.append(tsquery(expression, column in self.POSITIONAL))
        sql = "(" + " OR ".join(parts) + ")"
        return (sql if wanted else f"NOT {sql}"), params

    def select(self, columns, spec, conditions, qs=None, force_join=False, extra="", walk=False, sample=""):
        """``walk``: the body condition only filters, so that the planner reads the entries in key order
        (within a window of newest entries, see segment_ids)."""
        qs = qs or spec.queryset_filter
        params = []
        sql = f"SELECT {columns} FROM {ENTRY_TABLE} AS e{sample}"
        if force_join:
            sql += f" JOIN ({qs.sql}) AS q ON q._search_pk = e.object_id"
            params += list(qs.params)
        entry_sql, entry_params = self.entry_filter(spec, conditions)
        sql += " WHERE TRUE" + entry_sql
        params += entry_params
        # A tier that requires a title or head match is found through their GIN indexes (which have
        # statistics) or in key order; its body condition only filters. Driven by body_vector's index,
        # "title has the exact phrase and the body every term" read every body match (260 ms for 宿连 航道).
        narrow = walk or any(wanted and where in ("title", "head") for where, _e, wanted in conditions)
        for where, expression, wanted in conditions:
            if where == "demoted":
                continue
            clause, clause_params = self.condition(spec, where, expression, wanted, indexable=not narrow)
            sql += " AND " + clause
            params += clause_params
        if not force_join:
            semijoin = qs.semijoin()
            sql += semijoin[0]
            params += semijoin[1]
        return sql + extra, params

    def segment_select(self, spec, segment, position):
        sql, params = self.select(
            f"e.object_id AS oid, {position} AS seg, e.key AS k",
            spec,
            segment.conditions + spec.demoted(segment),
        )
        return sql + " ORDER BY e.key DESC", params

    def segment_ids(self, spec, segment, limit, offset):
        """The tier's newest ``limit`` matches. With ``windows`` (see ids()), first among the entries newer
        than each bound in turn: a bounded number of entries read in key order, where the GIN index would
        hand over every match of the tier to be joined and sorted (89 ms for the head tier of 局办公室,
        4,400 matches). The first window that holds ``limit`` matches holds the tier's newest ones, so
        the result is the same as without windows."""
        conditions = segment.conditions + spec.demoted(segment)
        order = " ORDER BY e.key DESC LIMIT %s OFFSET %s"
        if limit is not None and not offset:
            body = any(wanted and where == "any" for where, _e, wanted in segment.conditions)
            for bound, entries in self.windows:
                if body and entries > self.BODY_WINDOW_UP_TO:
                    break  # testing body vectors one by one costs more than the GIN index from here on
                sql, params = self.select(
                    "e.object_id", spec, conditions, walk=True, extra=" AND e.key >= %s"
                )
                rows = self._run(sql + order, params + [bound, limit, 0])
                if len(rows) >= limit:
                    return [row[0] for row in rows]
        sql, params = self.select("e.object_id", spec, conditions)
        return [row[0] for row in self._run(sql + order, params + [limit, offset])]

    def window_bounds(self, total, want):
        """``[(key bound, entries)]``: bounds on ``key`` that leave about ``entries`` newest entries each,
        the first expected to hold four times ``want`` matches if the ``total`` matches are spread evenly
        over time, each next one eight times wider, while under half the index."""
        lowest, highest, entries = self._run(
            f"SELECT min(key), max(key), (SELECT reltuples FROM pg_class WHERE oid = %s::regclass) "
            f"FROM {ENTRY_TABLE}",
            [ENTRY_TABLE],
        )[0]
        if lowest is None or not entries or entries < 0:
            return []
        share, bounds = max(self.WINDOW_SLACK * want / max(total, 1), self.WINDOW_MIN / entries), []
        while share < 0.5:
            bounds.append((highest - int((highest - lowest) * share), int(entries * share)))
            share *= 8
        return bounds

    def ids(self, spec, segments, start, stop, total=None):
        if len(segments) == 1 and total is None:
            return self.union_ids(spec, segments, start, stop)
        if total is not None and total <= self.UNION_UP_TO:
            return self.union_ids(spec, segments, start, stop)
        if total is not None and stop is not None and start == 0:
            self.windows = self.window_bounds(total, stop)
        return self.sequential_ids(spec, segments, start, stop)


def connection_for(model):
    from django.db import router

    return connections[router.db_for_read(model)]
