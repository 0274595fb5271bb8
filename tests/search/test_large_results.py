"""PostgreSQL at scale: the paths the engine takes when a query matches many entries (windows of newest
entries per tier, counts capped and estimated), forced here on a small index by lowering their
thresholds. They must give the same results, in the same order, as the small-index path."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category, Validity
from search.backend.storage import PostgresStorage
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL storage only"),
]


def day(n):
    return timezone.make_aware(datetime.datetime(2019, 3, 1, 9, 0)) + datetime.timedelta(days=n)


def item(department, title, body="<p>正文。</p>", n=0, **fields):
    fields.setdefault("keywords", "")
    fields.setdefault("summary", "有关事项说明。")
    return factories.make_item(department, title=title, body=body, publish_date=day(n), **fields)


@pytest.fixture
def many(department):
    """Items about 出租汽车 in every tier, over two years, and items without it."""
    pages = []
    for n in range(6):
        pages.append(item(department, f"出租汽车经营许可办理指南（{n}）", n=100 * n))
        pages.append(item(department, f"关于道路运输的通知（{n}）", keywords="出租汽车,客运", n=100 * n + 7))
        pages.append(
            item(department, f"关于城市客运的说明（{n}）", "<p>出租汽车许可的办理。</p>", n=100 * n + 3)
        )
        item(department, f"公交线路调整（{n}）", "<p>市区公交线路延时运营。</p>", n=100 * n + 5)
    pages.append(
        item(department, "出租汽车旧规定", n=700, category=Category.POLICY, validity=Validity.REPEALED)
    )
    return pages


def at_scale(monkeypatch, **overrides):
    """Thresholds that send every query of the small test index down the large-index paths."""
    settings = {"UNION_UP_TO": 0, "WINDOW_MIN": 1, "WINDOW_SLACK": 1, "BODY_WINDOW_UP_TO": 10**9}
    settings.update(overrides)
    for name, value in settings.items():
        monkeypatch.setattr(PostgresStorage, name, value)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_indexentry")  # reltuples, which the windows are sized from


def ranked(query):
    return list(DisclosureItemPage.objects.live().search(query))


@pytest.mark.parametrize("query", ["出租汽车", "出租汽车 许可", "客运", "出租汽车 -许可"])
def test_windows_give_the_same_results_in_the_same_order(many, monkeypatch, query):
    expected = ranked(query)
    assert expected
    at_scale(monkeypatch)
    results = DisclosureItemPage.objects.live().search(query)
    assert results.count() == len(expected)
    for size in (1, 2, 5, 8):
        assert list(results[:size]) == expected[:size]
    assert list(results[3:9]) == expected[3:9]
    assert list(results) == expected


def test_titles_then_head_then_body_then_repealed_at_scale(many, monkeypatch):
    at_scale(monkeypatch)
    results = list(DisclosureItemPage.objects.live().search("出租汽车")[:19])
    kinds = [p.title.split("（")[0] for p in results]
    assert kinds == ["出租汽车经营许可办理指南"] * 6 + ["关于道路运输的通知"] * 6 + [
        "关于城市客运的说明"
    ] * 6 + ["出租汽车旧规定"]
    dates = [p.publish_date for p in results[:6]]
    assert dates == sorted(dates, reverse=True)


def test_the_count_is_exact_up_to_the_cap_then_estimated(many, monkeypatch):
    results = DisclosureItemPage.objects.live().search("出租汽车")
    assert results.count() == 19 and not results.count_is_estimate
    at_scale(monkeypatch, EXACT_COUNT_UP_TO=5)
    results = DisclosureItemPage.objects.live().search("出租汽车")
    assert results.count() >= 6 and results.count_is_estimate
    assert len(list(results)) == 19  # the results themselves are all there
    few = DisclosureItemPage.objects.live().search("旧规定")
    assert few.count() == 1 and not few.count_is_estimate


def test_a_query_found_in_most_entries_is_counted_from_a_sample(many, monkeypatch):
    # The whole index as the sample: the estimate is then the exact count.
    at_scale(monkeypatch, EXACT_COUNT_UP_TO=5, SAMPLE_FROM=0, SAMPLE_ROWS=10**6)
    results = DisclosureItemPage.objects.live().search("出租汽车")
    facets = results.facet("search_facet")
    assert results.count_is_estimate
    assert sum(facets.values()) == 19
    assert DisclosureItemPage.objects.live().search("出租汽车").count() == 19
    assert list(DisclosureItemPage.objects.live().search("出租汽车")[:3]) == ranked("出租汽车")[:3]


def test_the_search_page_says_when_counts_are_estimates(client, many, monkeypatch):
    at_scale(monkeypatch, EXACT_COUNT_UP_TO=5)
    response = client.get("/search/", {"q": "出租汽车"})
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.estimated and outcome.total >= 6
    assert outcome.browsable == min(outcome.total, 1000)
    assert "共找到约" in response.content.decode()
