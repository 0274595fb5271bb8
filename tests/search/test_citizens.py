"""What helps citizens: synonyms, pinyin, 您是不是要找, relaxed matching, suggestions, hot searches, the
log of searches without results and editors' promoted results."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.disclosure.vocabularies import Category
from cms.review.models import TermRule
from search import suggest
from search.models import QueryStat, Synonym
from search.tasks import record_search
from tests import factories

from .conftest import module_content

pytestmark = pytest.mark.django_db


def item(department, title, body, category=Category.NEWS, **fields):
    fields.setdefault("summary", "有关事项说明。")
    fields.setdefault("keywords", "")
    fields.setdefault("publish_date", timezone.make_aware(datetime.datetime(2019, 6, 1, 9)))
    return factories.make_item(department, title=title, body=body, category=category, **fields)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_content(django_db_blocker, tmp_path_factory):
        tree = factories.site_tree()
        unit = factories.make_department(
            tree["departments"], title="宿迁市交通运输局运输管理处", short_name="运输管理处", slug="ysglc"
        )
        pages = {
            "taxi": item(
                unit,
                "出租汽车经营许可办事指南",
                "<p>申请出租汽车经营许可须提交下列材料。</p>",
                Category.SERVICES,
            ),
            "driving": item(
                unit, "机动车驾驶员培训机构备案", "<p>机动车驾驶员培训机构应当备案。</p>", Category.SERVICES
            ),
            "penalty": item(unit, "交通运输行政处罚裁量基准", "<p>规范行政处罚裁量权。</p>", Category.POLICY),
            "apply": item(
                unit, "政府信息公开申请办理流程", "<p>依申请公开的受理、答复。</p>", Category.SERVICES
            ),
            "traffic": item(
                unit, "交通运输行政执法公示", "<p>行政执法信息公开。</p>", keywords="行政执法,执法公示"
            ),
        }
        for term, expansions in [
            ("开出租", "出租汽车经营许可"),
            ("交通局", "交通运输局"),
            ("驾校", "机动车驾驶员培训"),
            ("罚款", "行政处罚"),
        ]:
            Synonym.objects.create(term=term, expansions=expansions)
        suggest.rebuild_vocabulary()
        yield {"unit": unit, **pages}


def search(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response, response.context["outcome"]


def found(outcome):
    return [r.page.pk for r in outcome.results] if outcome.results else []


@pytest.mark.parametrize(
    "typed, page",
    [("开出租", "taxi"), ("驾校", "driving"), ("罚款", "penalty"), ("驾校备案", "driving")],
)
def test_colloquial_words_find_the_official_terms(client, site, typed, page):
    response, outcome = search(client, typed)
    assert site[page].pk in found(outcome)
    assert any("同义词" in notice for notice in outcome.notices)
    assert "同义词" in response.content.decode()


def test_交通局_finds_the_bureau_by_its_full_name(client, site):
    _response, outcome = search(client, "交通局运输管理处")
    assert site["unit"].pk in found(outcome)


def test_a_synonym_added_in_the_admin_takes_effect_at_once(admin_client, client, site):
    assert not found(search(client, "跑出租")[1])
    response = admin_client.post(
        reverse("wagtailsnippets_search_synonym:add"),
        {"term": "跑出租", "expansions": "出租汽车", "active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert site["taxi"].pk in found(search(client, "跑出租")[1])


def test_synonym_form_refuses_an_empty_expansion(admin_client, site):
    response = admin_client.post(
        reverse("wagtailsnippets_search_synonym:add"), {"term": "打车", "expansions": "打车", "active": "on"}
    )
    assert response.status_code == 200
    assert "请至少填写一个不同于搜索词的同义词" in response.content.decode()


def test_pinyin_is_read_as_the_chinese_it_spells(client, site):
    response, outcome = search(client, "xingzhengzhifa")
    assert site["traffic"].pk in found(outcome)
    assert "已按拼音“xingzhengzhifa”为您搜索“行政执法”" in response.content.decode()
    assert suggest.from_pinyin("Jiao Tong") == "交通"
    assert suggest.from_pinyin("xingzhengchufacailiangjizhun") == "行政处罚 裁量 基准"
    assert suggest.from_pinyin("zzzz") is None and suggest.from_pinyin("etc123") is None


def test_did_you_mean_offers_the_word_that_sounds_the_same(client, site):
    response, outcome = search(client, "胶通运输")
    assert outcome.total == 0
    assert outcome.corrections == ["交通运输"]
    html = response.content.decode()
    assert "您是不是要找" in html and "交通运输" in html


def test_did_you_mean_offers_a_word_one_character_apart_and_the_review_dictionary(client, site):
    _response, outcome = search(client, "行政执罚")
    assert outcome.corrections == ["行政执法"]
    TermRule.objects.create(kind="typo", term="执发", suggestion="执法")
    _response, outcome = search(client, "行政执发")
    assert outcome.corrections == ["行政执法"]


def test_a_long_query_without_an_exact_match_is_split_into_words(client, site):
    response, outcome = search(client, "政府信息公开申请的办理流程")
    assert site["apply"].pk in found(outcome)
    assert "未找到与" in response.content.decode() and "完全一致" in response.content.decode()


def test_suggestions_while_typing(client, site):
    data = client.get(reverse("search_suggest"), {"q": "行政"}).json()
    assert "行政执法" in data["terms"] and "行政处罚" in data["terms"]
    assert any(page["title"] == "交通运输行政执法公示" for page in data["pages"])
    assert "行政执法" in client.get(reverse("search_suggest"), {"q": "xingzheng"}).json()["terms"]
    assert "行政执法" in client.get(reverse("search_suggest"), {"q": "xzzf"}).json()["terms"]
    assert client.get(reverse("search_suggest"), {"q": ""}).json() == {"query": "", "terms": [], "pages": []}
    assert client.get(reverse("search_suggest"), {"q": "🚌"}).json()["terms"] == []
    too_long = client.get(reverse("search_suggest"), {"q": "交" * 101})
    assert too_long.status_code == 400 and "搜索词过长" in too_long.json()["error"]


def test_searches_are_counted_and_zero_results_logged_for_editors(client, admin_client, site, monkeypatch):
    sent = []
    monkeypatch.setattr(record_search, "delay", lambda *args: sent.append(args))
    search(client, "出租汽车")
    search(client, "出租汽车", page=2)  # paging is not a new search
    search(client, "高铁站摆渡车")
    assert sent == [("出租汽车", 1), ("高铁站摆渡车", 0)]
    for args in sent + [("高铁站摆渡车", 0), ("身份证321302198503171233", 0)]:
        record_search.run(*args)
    stat = QueryStat.objects.get(query__query_string="高铁站摆渡车")
    assert (stat.zero_result_hits, stat.last_result_count) == (2, 0)
    assert not QueryStat.objects.filter(query__query_string__contains="198503171233").exists()

    report = admin_client.get(reverse("search_zero_results"))
    html = report.content.decode()
    assert report.status_code == 200
    assert "高铁站摆渡车" in html and "出租汽车" not in html
    assert "身份证32130219850317123" not in html  # personal data is masked before it is stored
    add_link = reverse("wagtailsnippets_search_synonym:add") + "?term=高铁站摆渡车"
    assert add_link in html
    prefilled = admin_client.get(add_link).content.decode()
    assert 'value="高铁站摆渡车"' in prefilled


def test_hot_searches_show_popular_queries_that_found_something_and_nothing_sensitive(client, site):
    for query, count, hits in [("出租汽车", 3, 5), ("驾校", 2, 3), ("高铁站摆渡车", 0, 9), ("法轮功", 4, 9)]:
        for _ in range(hits):
            suggest.record(query, count)
    TermRule.objects.create(kind="sensitive", term="法轮功")
    assert suggest.popular() == ["出租汽车", "驾校"]
    html = client.get("/search/").content.decode()
    assert "热门搜索" in html and "驾校" in html and "法轮功" not in html


def test_promoted_results_come_first(client, site):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    SearchPromotion.objects.create(
        query=Query.get("依申请公开"), page=site["apply"], description="在线申请政府信息公开", sort_order=0
    )
    response, outcome = search(client, "依申请公开")
    assert [p.page_id for p in outcome.promotions] == [site["apply"].pk]
    html = response.content.decode()
    assert html.index("推荐结果") < html.index("search-results")
