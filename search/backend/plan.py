"""Wagtail's search query objects, translated into what the index can match, and the ranking tiers.

A query becomes a :class:`Plan`: a *positive* expression (phrases combined with all-of / any-of), the
expressions whose matches are *excluded*, and for a query of several terms its *exact* form (the terms
written together). Ranking is by tier, newest first within a tier; the tiers, in order:

1. the title contains the exact query (multi-term queries only; otherwise tier 2 is the same);
2. the title matches the query;
3. a head field matches (SearchFields with ``boost`` > 1: 关键词, 文号, 索引号, 内容概述 …);
4. the exact query appears elsewhere (multi-term queries only);
5. the rest;

and objects marked ``search_demoted`` (失效 and 废止 documents) come after all others, in the same tiers.

A tier is a :class:`Segment`: a conjunction of conditions ``(where, expression, wanted)``, where ``where``
is "title", "head" or "any" (every indexed column). The storage modules turn segments into SQL; the
segments of a plan partition its matches, so a page of results is read tier by tier, each tier in
``key`` order (date order), and the database can stop as soon as the page is full.
"""

from dataclasses import dataclass, field

from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, PlainText
from modelsearch.query import Phrase as PhraseQuery

from .. import text


@dataclass(frozen=True)
class Term:
    phrase: text.Phrase


@dataclass(frozen=True)
class AllOf:
    parts: tuple


@dataclass(frozen=True)
class AnyOf:
    parts: tuple


@dataclass(frozen=True)
class Segment:
    conditions: tuple  # ((where, expression, wanted), …)
    demoted: bool


@dataclass
class Plan:
    """What to match. ``positive`` None with ``match_all`` means every object of the queryset."""

    positive: object = None
    excluded: list = field(default_factory=list)
    exact: object = None
    match_all: bool = False
    negated: bool = False  # top-level Not: the queryset minus the matches
    empty: bool = False

    def phrases(self):
        """Every phrase of the positive expression, for highlighting."""
        return list(_phrases(self.positive))

    def match_conditions(self):
        conditions = [("any", self.positive, True)]
        conditions += [("any", excluded, False) for excluded in self.excluded]
        return tuple(conditions)

    def segments(self):
        p, f = self.positive, self.exact
        if f is None:
            tiers = [
                [("title", p, True)],
                [("head", p, True), ("title", p, False)],
                [("any", p, True), ("title", p, False), ("head", p, False)],
            ]
        else:
            tiers = [
                [("title", f, True), ("any", p, True)],
                [("title", p, True), ("title", f, False)],
                [("head", p, True), ("title", p, False)],
                [("any", f, True), ("any", p, True), ("title", p, False), ("head", p, False)],
                [("any", p, True), ("title", p, False), ("head", p, False), ("any", f, False)],
            ]
        excluded = [("any", x, False) for x in self.excluded]
        return [Segment(tuple(tier + excluded), demoted) for demoted in (False, True) for tier in tiers]


def _phrases(expression):
    if isinstance(expression, Term):
        yield expression.phrase
    elif isinstance(expression, (AllOf, AnyOf)):
        for part in expression.parts:
            yield from _phrases(part)


def _combine(kind, parts):
    flat = []
    for part in parts:
        if part is None:
            continue
        flat.extend(part.parts if isinstance(part, kind) else [part])
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def _plain_terms(query_string, prefix):
    words = query_string.split()
    terms = []
    for position, word in enumerate(words):
        phrase = text.phrase(word, prefix_last_word=prefix and position == len(words) - 1)
        if phrase is not None:
            terms.append(Term(phrase))
    return words, terms


def build_plan(query, prefix=False):
    """The :class:`Plan` of a Wagtail query object (``PlainText``, ``Phrase``, ``And``, ``Or``, ``Not``,
    ``MatchAll``, ``Boost``, ``Fuzzy``). ``prefix``: the last word is being typed (autocomplete)."""
    if isinstance(query, MatchAll):
        return Plan(match_all=True)
    if isinstance(query, Not):
        inner = build_plan(query.subquery, prefix)
        if inner.match_all:
            return Plan(empty=True)
        if inner.empty:
            return Plan(match_all=True)
        if inner.negated:
            return Plan(positive=inner.positive, excluded=inner.excluded)
        return Plan(positive=inner.positive, excluded=inner.excluded, negated=True)
    if isinstance(query, (PlainText, Fuzzy)):
        words, terms = _plain_terms(query.query_string, prefix)
        kind = AllOf if query.operator == "and" else AnyOf
        positive = _combine(kind, terms)
        if positive is None:
            return Plan(empty=True)
        exact = None
        if kind is AllOf and len(terms) > 1:
            joined = text.phrase("".join(words), prefix_last_word=prefix)
            exact = Term(joined) if joined else None
        return Plan(positive=positive, exact=exact)
    if isinstance(query, PhraseQuery):
        phrase = text.phrase(query.query_string, prefix_last_word=prefix)
        return Plan(positive=Term(phrase)) if phrase else Plan(empty=True)
    if isinstance(query, Boost):
        return build_plan(query.subquery, prefix)
    if isinstance(query, And):
        plans = [build_plan(sub, prefix) for sub in query.subqueries]
        if any(p.empty for p in plans):
            return Plan(empty=True)
        plans = [p for p in plans if not p.match_all]
        if not plans:
            return Plan(match_all=True)
        positive = _combine(AllOf, [p.positive for p in plans if not p.negated])
        excluded = [x for p in plans if not p.negated for x in p.excluded]
        excluded += [p.positive for p in plans if p.negated]
        if positive is None:
            # Only exclusions: everything except what any of them matches.
            return Plan(positive=_combine(AnyOf, excluded), negated=True)
        exacts = [p.exact for p in plans if p.exact is not None]
        return Plan(positive=positive, excluded=excluded, exact=exacts[0] if len(exacts) == 1 else None)
    if isinstance(query, Or):
        plans = [build_plan(sub, prefix) for sub in query.subqueries]
        if any(p.match_all for p in plans):
            return Plan(match_all=True)
        plans = [p for p in plans if not p.empty]
        if not plans:
            return Plan(empty=True)
        if any(p.negated or p.excluded for p in plans):
            raise NotImplementedError("Not() inside Or() is not supported by this search backend.")
        return Plan(positive=_combine(AnyOf, [p.positive for p in plans]))
    raise NotImplementedError(f"`{query.__class__.__name__}` is not supported by this search backend.")
