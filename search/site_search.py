"""The search page's logic: from what the visitor typed and chose to a page of grouped, highlighted results.

All matching goes through Wagtail's search API on ``Page`` querysets (``.search()``, ``.facet()``), so the
engine (``search.backend``) can be swapped for Elasticsearch/OpenSearch without touching this module.

What happens to a query:

1. It is normalised (NFKC, lower case); symbols and emoji are ignored. ``OR`` between words means either;
   a word starting with ``-`` is excluded. Other words must all appear.
2. Synonyms: where a dictionary term appears in a word, its expansions are searched too
   (开出租 → 开出租 or 出租汽车经营许可).
3. If that finds nothing: pinyin typed without tones is read as the Chinese words it spells (jiaotong →
   交通); then long words are split into jieba words that must all appear (依申请公开的流程 → 申请 公开 流程);
   the page says which of these it did. 您是不是要找 offers corrections when little or nothing is found.
"""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils import timezone
from modelsearch.query import And, Not, Or, Phrase, PlainText
from wagtail.models import Page

from cms.disclosure.models import DisclosureAttachment, DisclosureItemPage

from . import highlight, suggest, text
from .groups import group_counts, group_filter, group_of_facet

PAGE_SIZE = 10
ESTIMATED_BROWSABLE = 1000  # results paged through when their count is an estimate


@dataclass
class Word:
    text: str
    # (start, end, [expansions]) of the dictionary terms found inside the word
    alternatives: list = field(default_factory=list)
    excluded: bool = False

    def with_synonyms(self):
        """驾校备案 → (驾校 or 机动车驾驶员培训) and 备案: each dictionary term or one of its expansions, and
        the rest of the word."""
        parts, cursor = [], 0
        for start, end, expansions in self.alternatives:
            if text.phrase(self.text[cursor:start]):
                parts.append(Phrase(self.text[cursor:start]))
            parts.append(Or([Phrase(self.text[start:end])] + [Phrase(e) for e in expansions]))
            cursor = end
        if text.phrase(self.text[cursor:]):
            parts.append(Phrase(self.text[cursor:]))
        return parts[0] if len(parts) == 1 else And(parts)

    @property
    def synonyms(self):
        return [(self.text[start:end], expansions) for start, end, expansions in self.alternatives]


@dataclass
class ParsedQuery:
    """The query as words joined by AND, or alternatives joined by OR."""

    words: list
    operator: str = "and"
    split: bool = False  # relaxed: long words matched as their jieba words

    @property
    def positive(self):
        return [w for w in self.words if not w.excluded]

    def to_search_query(self, split=False):
        """A Wagtail query object. ``split``: each long word as its jieba words, all required.

        Words without synonyms, joined by AND, go as one PlainText, whose terms the engine ranks higher
        where they appear together as typed (its exact-phrase tier)."""
        positive = self.positive
        if not split and self.operator == "and" and not any(w.alternatives for w in positive):
            query = PlainText(" ".join(w.text for w in positive))
        else:
            parts = []
            for word in positive:
                base = PlainText(" ".join(text.split_words(word.text))) if split else Phrase(word.text)
                parts.append(Or([base, word.with_synonyms()]) if word.alternatives else base)
            combine = Or if self.operator == "or" else And
            query = parts[0] if len(parts) == 1 else combine(parts)
        exclusions = [Not(Phrase(w.text)) for w in self.words if w.excluded]
        return And([query, *exclusions]) if exclusions else query

    @property
    def splittable(self):
        return any(len(text.split_words(w.text)) > 1 for w in self.positive)

    def phrases(self):
        """What to highlight: the words, their synonyms' expansions, and when relaxed their jieba words."""
        phrases = []
        for word in self.positive:
            for candidate in [word.text] + [e for _t, exps in word.synonyms for e in exps]:
                candidates = [candidate, *text.split_words(candidate)] if self.split else [candidate]
                phrases += [p for p in map(text.phrase, candidates) if p]
        return phrases


def parse(query, synonyms):
    words, operator = [], "and"
    for raw in text.normalize(query).split():
        if raw == "or" and words:
            operator = "or"
            continue
        if raw in ("and", "&&", "&"):
            continue
        excluded = raw.startswith("-") and len(raw) > 1
        body = raw[1:] if excluded else raw
        if text.phrase(body) is None:
            continue  # nothing searchable: symbols, emoji
        alternatives = suggest.synonyms_in(body, synonyms) if not excluded else []
        words.append(Word(body, alternatives, excluded))
    if not any(not w.excluded for w in words):
        return None
    return ParsedQuery(words, operator)


@dataclass
class Result:
    page: object
    group: str
    title: str
    snippet: str
    from_attachment: str = ""
    demoted_label: str = ""


@dataclass
class Outcome:
    query: str
    results: object = None  # a Page of Result
    total: int = 0
    group_counts: dict = field(default_factory=dict)
    notices: list = field(default_factory=list)  # what was done to the query, for the visitor
    corrections: list = field(default_factory=list)
    promotions: list = field(default_factory=list)
    searched_for: str = ""
    empty_message: str = ""
    # The counts are estimates (PostgreSQL, beyond a thousand matches): the results are paged through
    # their first ``browsable``.
    estimated: bool = False
    browsable: int = 0

    @property
    def all_count(self):
        return sum(self.group_counts.values())


class SiteSearch:
    def __init__(self, site, locale, filters, page_number=None):
        self.site = site
        self.root = site.root_page
        self.locale = locale
        self.filters = filters
        self.page_number = page_number
        self.estimated = False
        # The view restrictions are read once; every queryset below starts from this one.
        self._base = public_pages(
            Page.objects.live().filter(locale=self.locale, path__startswith=self.root.path)
        )

    # Querysets ---------------------------------------------------------------------------------------------

    def base(self):
        return self._base.all()

    def filtered(self, with_group=True):
        f = self.filters
        pages = self.base()
        items = None

        def item_filter(**lookups):
            nonlocal items
            items = (items if items is not None else DisclosureItemPage.objects.all()).filter(**lookups)

        if f.get("department"):
            department = f["department"]
            pages = pages.filter(path__startswith=department.path) | pages.filter(
                pk__in=DisclosureItemPage.objects.filter(publisher_name=department.title).values("pk")
            )
        if f.get("column"):
            item_filter(category=f["column"])
        if f.get("validity"):
            item_filter(validity=f["validity"])
        if f.get("doc_number"):
            item_filter(document_number__icontains=f["doc_number"])
        if f.get("date_from"):
            item_filter(publish_date__gte=_day_start(f["date_from"]))
        if f.get("date_to"):
            item_filter(publish_date__lt=_day_start(f["date_to"] + datetime.timedelta(days=1)))
        if items is not None:
            pages = pages.filter(pk__in=items.values("pk"))
        if with_group and f.get("group"):
            pages = pages.filter(group_filter(f["group"]))
        return pages

    # Running -------------------------------------------------------------------------------------------------

    def count(self, search_query):
        return self.filtered().search(search_query).count()

    def run(self, raw_query):
        outcome = Outcome(query=raw_query)
        parsed = parse(raw_query, suggest.synonym_map())
        if parsed is None:
            outcome.empty_message = "请输入要查找的文字、数字或字母。"
            return outcome
        search_query = parsed.to_search_query()
        outcome.searched_for = " ".join(("-" if w.excluded else "") + w.text for w in parsed.words)
        for word in parsed.positive:
            for term, expansions in word.synonyms:
                outcome.notices.append(f"已同时搜索“{term}”的同义词：" + "、".join(expansions))
        counts = self.group_counts(search_query)
        fallback = None if sum(counts.values()) else self.fall_back(raw_query, parsed, outcome)
        if fallback:
            search_query, counts, parsed = fallback
        outcome.group_counts = counts
        outcome.estimated = self.estimated and bool(counts)
        group = self.filters.get("group")
        outcome.total = counts.get(group, 0) if group else sum(counts.values())
        if outcome.estimated:
            outcome.browsable = min(outcome.total, ESTIMATED_BROWSABLE)
        if not sum(counts.values()):
            # 您是不是要找: the best correction that finds something (one count, as typed queries do).
            best = next(iter(suggest.corrections(raw_query)), None)
            if best and self.count(PlainText(best)):
                outcome.corrections = [best]
        outcome.results = self.page(search_query, parsed, outcome) if outcome.total else None
        outcome.promotions = self.promotions(raw_query)
        return outcome

    def group_counts(self, search_query):
        """Results per group under the other filters, in one query over the index entries (estimated
        beyond a thousand matches on PostgreSQL: ``self.estimated``)."""
        results = self.filtered(with_group=False).search(search_query)
        counts = group_counts(results.facet("search_facet"))
        self.estimated = getattr(results, "count_is_estimate", False)
        return counts

    def fall_back(self, raw_query, parsed, outcome):
        """Nothing found as typed: try the query as pinyin, then as separate words."""
        spelled = suggest.from_pinyin(raw_query)
        if spelled:
            again = parse(spelled, suggest.synonym_map())
            query = again.to_search_query()
            counts = self.group_counts(query)
            if sum(counts.values()):
                outcome.notices.append(f"已按拼音“{raw_query.strip()}”为您搜索“{spelled}”。")
                outcome.searched_for = spelled
                return query, counts, again
        if parsed.splittable:
            query = parsed.to_search_query(split=True)
            counts = self.group_counts(query)
            if sum(counts.values()):
                words = "”“".join(w for word in parsed.positive for w in text.split_words(word.text))
                outcome.notices.append(
                    f"未找到与“{outcome.searched_for}”完全一致的内容，以下是同时包含“{words}”的结果。"
                )
                parsed.split = True
                return query, counts, parsed
        return None

    def page(self, search_query, parsed, outcome):
        by_date = self.filters.get("sort") == "date"
        pages = self.filtered()
        if by_date:
            pages = pages.order_by()  # the engine's own order: newest first
        results = pages.specific().search(search_query, order_by_relevance=not by_date)
        if hasattr(results, "prime_count"):
            # Known from the group counts: no second count query. Estimated: the first ``browsable``.
            paged = outcome.browsable if outcome.estimated else outcome.total
            results.prime_count(paged, outcome.estimated, matches=outcome.total)
        page = Paginator(results, PAGE_SIZE).get_page(self.page_number)
        page.object_list = self.describe(list(page.object_list), parsed)
        return page

    def describe(self, pages, parsed):
        phrases = parsed.phrases()
        described, needs_attachments = [], []
        for page in pages:
            texts = page_texts(page)
            result = Result(
                page=page,
                group=self.group_of(page),
                title=highlight.highlight(page.title, phrases),
                snippet=next((s for s in (highlight.snippet(t, phrases) for t in texts) if s), ""),
            )
            if not getattr(page, "is_current", True):
                result.demoted_label = page.get_validity_display()
            if not result.snippet:
                result.snippet = highlight.lead(next((t for t in texts if t), ""))
                if isinstance(page, DisclosureItemPage):
                    needs_attachments.append(result)
            described.append(result)
        if needs_attachments:
            self.attachment_snippets(needs_attachments, phrases)
        return described

    def attachment_snippets(self, results, phrases):
        """For results matched in an attachment only: the excerpt of the first attachment that matches, from
        the extracted text the index was built from (one query for the whole page of results)."""
        texts = {}
        rows = (
            DisclosureAttachment.objects.filter(page__in=[r.page.pk for r in results])
            .order_by("page_id", "sort_order")
            .values_list("page_id", "title", "document__title", "document__review_text__pages")
        )
        for page_id, title, document_title, pages in rows:
            texts.setdefault(page_id, []).append((title or document_title, "\n".join(pages or [])))
        for result in results:
            for title, content in texts.get(result.page.pk, []):
                excerpt = highlight.snippet(content, phrases)
                if excerpt:
                    result.snippet, result.from_attachment = excerpt, title
                    break

    def group_of(self, page):
        return group_of_facet(getattr(page, "search_facet", ""))

    def promotions(self, raw_query):
        """Editors' promoted results for this query (wagtail.contrib.search_promotions)."""
        from wagtail.contrib.search_promotions.models import SearchPromotion

        normalized = text.normalize(raw_query)[:255]
        return list(
            SearchPromotion.objects.filter(query__query_string=normalized)
            .select_related("page")
            .order_by("sort_order")
        )


def public_pages(pages):
    """``pages`` without those under a view restriction (password, login, groups): Wagtail's ``public()``,
    with the restricted paths read in a query that starts from the (small) restriction table. Wagtail's
    own query joins the other way round and, on an ANALYZEd SQLite database, scans every page (8 ms at
    100,000 pages, on every search)."""
    from django.db.models import Q
    from wagtail.models import PageViewRestriction

    restricted = Page.objects.filter(pk__in=PageViewRestriction.objects.values("page_id"))
    private = Q()
    for path in restricted.values_list("path", flat=True):
        private |= Q(path__startswith=path)
    return pages.exclude(private) if private else pages


def _day_start(day):
    """The first moment of ``day`` in the site's time zone (发布日期 are stored as aware datetimes)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def page_texts(page):
    """The page's own indexed texts besides its title, the running text first (its body, then 内容概述,
    关键词, 文号 …): the snippet comes from the first that contains a match. Model fields only, not methods,
    so building snippets costs no query."""
    from django.core.exceptions import FieldDoesNotExist
    from modelsearch.index import SearchField

    body, head = [], []
    for search_field in page.get_search_fields():
        if not isinstance(search_field, SearchField) or search_field.field_name == "title":
            continue
        try:
            search_field.get_field(type(page))
        except FieldDoesNotExist:
            continue
        value = search_field.get_value(page)
        values = value if isinstance(value, list) else [str(value or "")]
        (head if (search_field.boost or 1) > 1 else body).extend(v for v in values if v)
    return body + head + ([page.search_description] if page.search_description else [])
