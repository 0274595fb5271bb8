"""A labelled query set over the demo content: every page that contains the query is found.

The truth is computed, not written down: a page is relevant when the query is a substring of its indexed
text (title, body, metadata, unit names, attachment text; a whole word for a query of digits or Latin
letters), normalised as the search box normalises what is typed (NFKC, lower case). Queries are drawn from the demo itself: editors' 关键词, words of titles, unit
names, document numbers, and pairs of keywords of one item for multi-term queries.
"""

import io
import random
import re

import pytest
from django.core.management import call_command
from wagtail.models import Page

from search import text
from search.backend.documents import _values
from search.suggest import SEPARATORS

from .conftest import module_content

ALNUM = re.compile(r"[0-9a-z]+")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo site, loaded once for the module (rolled back after it)."""
    with module_content(django_db_blocker, tmp_path_factory):
        call_command("load_demo", password="demo-pass-123", quiet_accounts=True, stdout=io.StringIO())
        yield


def corpus():
    """{page pk: normalised text of every indexed field} for live pages."""
    pages = {}
    for page in Page.objects.live().specific():
        obj = type(page).get_indexed_objects().get(pk=page.pk)
        values = [text.normalize(value) for _column, value in _values(obj, obj.get_search_fields())]
        pages[page.pk] = "|".join(values)
    return pages


def occurs(term, body):
    """Chinese text is searchable at any substring; a run of digits or Latin letters is one word (search/text.py),
    so 12345 is in 拨打12345热线 but not inside the licence number 321300012345."""
    if ALNUM.fullmatch(term):
        return re.search(rf"(?<![0-9a-z]){re.escape(term)}(?![0-9a-z])", body) is not None
    return term in body


def truth(pages, *terms):
    terms = [text.normalize(t) for t in terms]
    return {pk for pk, body in pages.items() if all(occurs(t, body) for t in terms)}


def query_set(seed=20190618):
    """Single queries (2–6 characters and identifiers) and multi-term queries, drawn from the demo."""
    from cms.departments.models import DepartmentPage
    from cms.disclosure.models import DisclosureItemPage

    rng = random.Random(seed)
    items = list(DisclosureItemPage.objects.live().values_list("title", "keywords", "document_number"))
    keywords = sorted({k for _t, kw, _d in items for k in SEPARATORS.split(kw) if 2 <= len(k) <= 6})
    title_words = sorted({w for t, _k, _d in items for w in text.split_words(t) if 2 <= len(w) <= 6})
    numbers = sorted({d for _t, _k, d in items if d})
    units = sorted(DepartmentPage.objects.live().values_list("short_name", flat=True))
    singles = ["交通", "行政执法", "依申请公开", "12345"]
    singles += rng.sample(keywords, min(25, len(keywords))) + rng.sample(
        title_words, min(25, len(title_words))
    )
    singles += rng.sample(numbers, min(5, len(numbers))) + units[:5]
    pairs = []
    for _title, kw, _d in rng.sample(items, 15):
        words = [k for k in SEPARATORS.split(kw) if k]
        if len(words) >= 2:
            pairs.append(tuple(rng.sample(words, 2)))
    return singles, pairs


pytestmark = pytest.mark.django_db


def test_every_page_containing_the_query_is_found(demo):
    pages = corpus()
    singles, pairs = query_set()
    assert len(singles) >= 50 and len(pairs) >= 8
    misses = {}
    checked = 0
    for terms in [(q,) for q in singles] + pairs:
        expected = truth(pages, *terms)
        found = set(Page.objects.live().search(" ".join(terms)).results()) if expected else set()
        found_pks = {p.pk for p in found}
        if expected - found_pks:
            misses[" ".join(terms)] = sorted(expected - found_pks)
        checked += bool(expected)
    assert checked >= 50, "the query set should have relevant pages for most queries"
    assert not misses


def test_the_issue_s_queries_find_the_demo_pages(demo):
    pages = corpus()
    for query in ("交通", "行政执法", "依申请公开", "12345"):
        expected = truth(pages, query)
        assert expected, query
        assert expected <= {p.pk for p in Page.objects.live().search(query)}
