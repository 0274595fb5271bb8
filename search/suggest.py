"""What helps citizens find things beyond matching: the vocabulary, pinyin input, 您是不是要找, suggestions
while typing, synonyms and hot searches.

The vocabulary (``SearchTerm``) is built from published content by :func:`rebuild_vocabulary`: jieba words
of titles, editors' 关键词, unit and column names and the synonym dictionary, each with its pinyin
(pypinyin) and how many pages use it.
"""

import datetime
import re
from collections import Counter

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cms.core.masking import mask_personal_data
from cms.departments.models import DepartmentPage
from cms.disclosure.models import DisclosureItemPage
from cms.review.checks.dictionary import Matcher
from cms.review.checks.engine import load_rules
from cms.review.checks.personal import find_personal_data

from . import text

SEPARATORS = re.compile(r"[,，、;；\s]+")
MIN_TERM, MAX_TERM = 2, 12
SYNONYM_CACHE = "search:synonyms"
POPULAR_CACHE = "search:popular"


def pinyin(term):
    """(full pinyin, initials) without tones: 交通 → ("jiaotong", "jt"). Other characters are kept as typed."""
    from pypinyin import Style, lazy_pinyin

    syllables = [s for s in lazy_pinyin(term, style=Style.NORMAL, errors=lambda chars: list(chars)) if s]
    syllables = [re.sub(r"[^0-9a-z]", "", s.lower()) for s in syllables]
    syllables = [s for s in syllables if s]
    return "".join(syllables), "".join(s[0] for s in syllables)


def _words_of_title(title):
    return {w for w in text.search_words(title) if text.has_cjk(w) and MIN_TERM <= len(w) <= MAX_TERM}


def _keywords(value):
    words = (text.normalize(w) for w in SEPARATORS.split(value or ""))
    return {w for w in words if w and len(w) <= 40}


def vocabulary_counts():
    """{term: number of pages using it} over live pages, units, columns and synonyms."""
    from wagtail.models import Page

    from .models import Synonym

    counts = Counter()
    items = DisclosureItemPage.objects.live().values_list("pk", "keywords")
    keywords = dict(items.iterator(chunk_size=5000))
    for pk, title in Page.objects.live().values_list("pk", "title").iterator(chunk_size=5000):
        words = _words_of_title(title)
        if pk in keywords:
            words |= _keywords(keywords[pk])
        counts.update(words)

    for title, short_name in DepartmentPage.objects.live().values_list("title", "short_name"):
        counts.update({text.normalize(title), text.normalize(short_name)} - {""})
    for synonym in Synonym.objects.filter(active=True):
        counts.update({synonym.term, *synonym.expansion_list})
    return counts


def rebuild_vocabulary():
    from .models import SearchTerm

    rows = []
    for term, weight in vocabulary_counts().items():
        if len(term) > 40:
            continue
        full, initials = pinyin(term)
        rows.append(
            SearchTerm(term=term, pinyin=full[:240], initials=initials[:40], length=len(term), weight=weight)
        )
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        SearchTerm.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# Pinyin --------------------------------------------------------------------------------------------------


def from_pinyin(query):
    """The Chinese words that pinyin typed without tones spells, from the vocabulary: jiaotong → 交通,
    xingzhengzhifagongshi → 行政执法 公示. None if it spells nothing known (or is not pinyin)."""
    from .models import SearchTerm

    key = text.normalize(query).replace(" ", "")
    if not text.is_latin_letters(key) or not 2 <= len(key) <= 60:
        return None
    pieces = {key[i:j] for i in range(len(key)) for j in range(i + 2, min(len(key), i + 40) + 1)}
    best = {}
    for term, full, weight in (
        SearchTerm.objects.filter(pinyin__in=pieces)
        .order_by("weight")
        .values_list("term", "pinyin", "weight")
    ):
        best[full] = (term, weight)  # the heaviest term of each pinyin wins (ordered by weight)
    # Fewest pieces, then heaviest: split[i] = (pieces, -weight, words) for key[:i].
    split = {0: (0, 0, [])}
    for end in range(1, len(key) + 1):
        options = [
            (
                split[start][0] + 1,
                split[start][1] - best[key[start:end]][1],
                split[start][2] + [best[key[start:end]][0]],
            )
            for start in range(max(0, end - 40), end - 1)
            if start in split and key[start:end] in best
        ]
        if options:
            split[end] = min(options, key=lambda o: (o[0], o[1]))
    if len(key) not in split:
        return None
    return " ".join(split[len(key)][2])


# 您是不是要找 ------------------------------------------------------------------------------------------------


def _typo_rules():
    return Matcher([r for r in load_rules() if r.kind == "typo"])


def corrections(query):
    """Likely intended queries for one that found nothing, best first (at most three): the review gate's
    错别字 dictionary (烈土 → 烈士), then words that sound the same (胶通 → 交通), then words differing in one
    character (行政执罚 → 行政执法)."""
    from .models import SearchTerm

    query = text.normalize(query)
    found = []

    def add(candidate):
        if candidate and candidate != query and candidate not in found:
            found.append(candidate)

    fixed = query
    for finding in _typo_rules().scan(query):
        if finding.suggestion:
            fixed = fixed.replace(finding.match, finding.suggestion)
    add(fixed)
    words = query.split()
    for position, word in enumerate(words):
        if not text.has_cjk(word) or len(word) < 2:
            continue
        full, _initials = pinyin(word)
        # Same pinyin (homophones), or for three or more characters the same but for one character.
        similar = Q(pinyin=full)
        if len(word) >= 3:
            for i in range(len(word)):
                similar |= Q(term__startswith=word[:i], term__endswith=word[i + 1 :], length=len(word))
        rows = SearchTerm.objects.filter(similar).exclude(term=word).values_list("term", "pinyin", "weight")
        ranked = sorted(rows[:50], key=lambda row: (row[1] != full, -row[2]))
        for candidate, _pinyin, _weight in ranked[:3]:
            add(" ".join(words[:position] + [candidate] + words[position + 1 :]))
    return found[:3]


# Synonyms ---------------------------------------------------------------------------------------------------


def synonym_map():
    """{term: [other terms to search]} for the active dictionary, cached until an entry changes."""
    mapping = cache.get(SYNONYM_CACHE)
    if mapping is None:
        from .models import Synonym

        mapping = {}
        for synonym in Synonym.objects.filter(active=True):
            words = synonym.expansion_list
            mapping.setdefault(synonym.term, [])
            mapping[synonym.term] += [w for w in words if w not in mapping[synonym.term]]
            if synonym.two_way:
                group = [synonym.term, *words]
                for word in words:
                    mapping.setdefault(word, [])
                    mapping[word] += [w for w in group if w != word and w not in mapping[word]]
        cache.set(SYNONYM_CACHE, mapping, 3600)
    return mapping


def clear_synonym_cache(**kwargs):
    cache.delete(SYNONYM_CACHE)


def synonyms_in(term, mapping):
    """``(start, end, alternatives)`` for each dictionary term inside ``term``, longest first, not overlapping."""
    hits, taken = [], set()
    for word in sorted(mapping, key=len, reverse=True):
        start = term.find(word)
        while start != -1:
            span = set(range(start, start + len(word)))
            if not span & taken:
                hits.append((start, start + len(word), mapping[word]))
                taken |= span
            start = term.find(word, start + 1)
    return sorted(hits)


# Suggestions while typing and hot searches --------------------------------------------------------------------


def suggestions(prefix, limit=8):
    """Vocabulary words that start with what was typed, or whose pinyin or initials do, most used first."""
    from .models import SearchTerm

    prefix = text.normalize(prefix)
    if not prefix:
        return []
    key = prefix.replace(" ", "")
    if text.is_latin_letters(key):
        condition = Q(pinyin__startswith=key) | Q(initials=key)
    else:
        condition = Q(term__startswith=prefix)
    terms = SearchTerm.objects.filter(condition).exclude(term=prefix).order_by("-weight", "length", "term")
    return list(terms.values_list("term", flat=True)[:limit])


def _publishable(query, matcher):
    return "*" not in query and not matcher.scan(query) and not find_personal_data(query)


def popular(limit=8, days=30):
    """The most searched queries of the last ``days`` days that found something; those with political or
    sensitive terms of the review gate's dictionary, or personal data, are never shown."""
    result = cache.get(POPULAR_CACHE)
    if result is not None:
        return result[:limit]
    from wagtail.contrib.search_promotions.models import Query

    matcher = Matcher([r for r in load_rules() if r.kind in ("political", "leader", "sensitive")])
    since = timezone.localdate() - datetime.timedelta(days=days)
    candidates = (
        Query.get_most_popular(date_since=since)
        .filter(stat__last_result_count__gt=0)
        .values_list("query_string", flat=True)[: limit * 3]
    )
    result = [q for q in candidates if _publishable(q, matcher)][:limit]
    cache.set(POPULAR_CACHE, result, 600)
    return result


def record(query, result_count):
    """Count a search (Wagtail's Query daily hits) and what it found (QueryStat). Personal data typed into
    the box is masked before anything is stored."""
    from wagtail.contrib.search_promotions.models import Query

    from .models import QueryStat

    query_string = mask_personal_data(text.normalize(query))[:255]
    if not query_string:
        return
    with transaction.atomic():
        entry = Query.get(query_string)
        entry.add_hit()
        stat, _created = QueryStat.objects.select_for_update().get_or_create(
            query=entry, defaults={"last_searched_at": timezone.now()}
        )
        stat.last_result_count = result_count
        stat.last_searched_at = timezone.now()
        if result_count == 0:
            stat.zero_result_hits += 1
        stat.save()
