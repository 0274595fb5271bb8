"""The search page: groups with counts, filters, sorting, highlighting, paging, bad input, query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.departments.models import DepartmentStatus
from cms.disclosure.vocabularies import Category, Validity
from search.site_search import PAGE_SIZE
from tests import factories

from .conftest import module_content

pytestmark = pytest.mark.django_db
QUERY_BUDGET = 15


def day(year, month, d=1):
    return timezone.make_aware(datetime.datetime(year, month, d, 9, 0))


def item(department, title, body, category, when, **fields):
    fields.setdefault("summary", "有关事项说明。")
    fields.setdefault("keywords", "")
    return factories.make_item(
        department, title=title, body=body, category=category, publish_date=when, **fields
    )


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_content(django_db_blocker, tmp_path_factory):
        tree = factories.site_tree()
        index = tree["departments"]
        office = factories.make_department(
            index, title="宿迁市交通运输局办公室", short_name="办公室", slug="bgs"
        )
        transport = factories.make_department(
            index, title="宿迁市交通运输局运输管理处", short_name="运输管理处", slug="ysglc"
        )
        merged = factories.make_department(
            index,
            title="宿迁市城市客运管理处",
            short_name="客运处",
            slug="kyc",
            status=DepartmentStatus.MERGED,
        )
        pages = {
            "licence": item(
                transport,
                "宿迁市出租汽车经营许可管理办法",
                "<p>申请出租汽车经营许可，应当具备下列条件。</p>",
                Category.POLICY,
                day(2019, 5),
                document_number="宿交规〔2019〕5号",
            ),
            "repealed": item(
                transport,
                "宿迁市出租汽车客运管理暂行规定",
                "<p>出租汽车经营许可由市交通运输主管部门实施。</p>",
                Category.POLICY,
                day(2019, 8),
                document_number="宿交规〔2016〕2号",
                validity=Validity.REPEALED,
            ),
            "reading": item(
                transport,
                "《宿迁市出租汽车经营许可管理办法》政策解读",
                "<p>解读出租汽车经营许可条件。</p>",
                Category.INTERPRETATION,
                day(2019, 5, 3),
            ),
            "service": item(
                transport,
                "出租汽车经营许可办事指南",
                "<p>办理出租汽车经营许可所需材料。</p>",
                Category.SERVICES,
                day(2019, 6),
            ),
            "news": item(
                office,
                "市交通运输局召开出租汽车行业座谈会",
                "<p>座谈会听取出租汽车经营者意见。</p>",
                Category.NEWS,
                day(2019, 7),
            ),
            "concern": item(
                office,
                "关于出租汽车经营许可投诉的回应",
                "<p>针对群众反映的问题回应如下。</p>",
                Category.CONCERNS,
                day(2019, 9),
            ),
            "old_unit": item(
                merged, "城市客运管理工作总结", "<p>全年完成客运车辆年审。</p>", Category.NEWS, day(2018, 12)
            ),
        }
        for n in range(12):
            item(
                office,
                f"交通运输动态（{n + 1}）",
                "<p>综合交通运输工作动态。</p>",
                Category.NEWS,
                day(2019, 1, n + 1),
            )
        # The 2019 reform: the merged unit's item now lives under 运输管理处, still published by 客运处.
        pages["old_unit"].move(transport, pos="last-child")
        yield {"tree": tree, "office": office, "transport": transport, "merged": merged, **pages}


def results(response):
    page = response.context["outcome"].results
    return [r.page.pk for r in page] if page else []


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code in (200, 400)
    return response


def test_results_are_grouped_with_counts_and_every_group_filters(client, site):
    response = search(client, q="出租汽车经营许可")
    outcome = response.context["outcome"]
    assert outcome.group_counts == {"policy": 2, "interpretation": 1, "service": 1, "interaction": 1}
    assert outcome.total == 5
    html = response.content.decode()
    assert "共找到 <strong>5</strong> 条" in html
    for group, label in [
        ("policy", "政策文件（2）"),
        ("service", "办事服务（1）"),
        ("news", "新闻动态（0）"),
    ]:
        assert label in re.sub(r"<[^>]+>", "", html)
        filtered = search(client, q="出租汽车经营许可", group=group)
        assert len(results(filtered)) == outcome.group_counts.get(group, 0)
        assert all(r.group == group for r in filtered.context["outcome"].results or [])


def test_ranking_titles_first_and_repealed_documents_last_with_a_label(client, site):
    response = search(client, q="出租汽车经营许可")
    order = results(response)
    titles_with_phrase = {site["licence"].pk, site["reading"].pk, site["service"].pk, site["concern"].pk}
    assert set(order[:4]) == titles_with_phrase
    assert order[-1] == site["repealed"].pk  # matches in its body only, and it is 废止
    last = response.context["outcome"].results[-1]
    assert last.demoted_label == "废止"
    assert "validity-repealed" in response.content.decode()


def test_highlighted_titles_and_snippets(client, site):
    response = search(client, q="座谈会")
    result = response.context["outcome"].results[0]
    assert str(result.title) == "市交通运输局召开出租汽车行业<mark>座谈会</mark>"
    assert str(result.snippet) == "<mark>座谈会</mark>听取出租汽车经营者意见。"


def test_filters_by_unit_including_merged_units_column_validity_dates_and_document_number(client, site):
    q = {"q": "出租汽车"}
    assert site["news"].pk in results(search(client, **q, department=site["office"].pk))
    assert site["licence"].pk not in results(search(client, **q, department=site["office"].pk))
    # 客运处 was merged away: its item moved to 运输管理处 but is still found under its 发布机构.
    merged = results(search(client, q="客运", department=site["merged"].pk))
    assert set(merged) == {site["old_unit"].pk, site["merged"].pk}  # its item, and the unit's own page
    assert site["old_unit"].pk in results(search(client, q="客运", department=site["transport"].pk))
    assert set(results(search(client, **q, column=Category.POLICY))) == {
        site["licence"].pk,
        site["repealed"].pk,
    }
    assert results(search(client, **q, validity=Validity.REPEALED)) == [site["repealed"].pk]
    assert results(search(client, **q, date_from="2019-08-01", date_to="2019-08-31")) == [site["repealed"].pk]
    assert results(search(client, **q, doc_number="〔2019〕5号")) == [site["licence"].pk]
    assert results(search(client, q="宿交规〔2016〕2号")) == [site["repealed"].pk]


def test_sort_by_date(client, site):
    response = search(client, q="出租汽车", sort="date")
    pages = [r.page for r in response.context["outcome"].results]
    dates = [p.publish_date for p in pages]
    assert dates == sorted(dates, reverse=True)
    assert pages[0].pk == site["concern"].pk


def test_paging_keeps_the_query_and_filters(client, site):
    first = search(client, q="交通运输动态")
    assert first.context["outcome"].total == 12
    assert len(results(first)) == PAGE_SIZE
    html = first.content.decode()
    assert "page=2" in html and "q=%E4%BA%A4%E9%80%9A%E8%BF%90%E8%BE%93%E5%8A%A8%E6%80%81" in html
    second = search(client, q="交通运输动态", page=2)
    assert len(results(second)) == 2
    assert not set(results(first)) & set(results(second))
    assert results(search(client, q="交通运输动态", page="abc")) == results(first)
    assert results(search(client, q="交通运输动态", page="99")) == results(second)


@pytest.mark.parametrize(
    "query",
    [
        '" * - ( ) NEAR AND OR',
        "交通 AND 运输",
        "交通 NEAR 运输",
        "(交通)",
        "交通*",
        "🚕 出租汽车 🚕",
        "ETC出租汽车abc123",
        "\u3000出租汽车\u3000",
    ],
)
def test_syntax_characters_emoji_and_mixed_scripts_are_searched_as_text(client, site, query):
    response = search(client, q=query)
    assert response.status_code == 200
    assert response.context["outcome"] is not None


def test_nothing_searchable_gets_a_message(client, site):
    for query in ["🚕🚌", "《》！？", "*"]:
        response = search(client, q=query)
        assert response.status_code == 200
        assert "请输入要查找的文字、数字或字母" in response.content.decode()


def test_empty_query_shows_the_page_with_recommendations(client, site):
    response = search(client, q="")
    assert response.status_code == 200
    assert response.context["outcome"] is None
    assert "推荐搜索" in response.content.decode()


def test_a_1000_character_query_gets_400_with_a_message_and_is_kept(client, site):
    response = search(client, q="出租汽车" * 250)
    assert response.status_code == 400
    html = response.content.decode()
    assert "搜索词过长" in html
    assert "出租汽车出租汽车" in html  # what was typed is still in the box


def test_bad_filters_are_reported_and_ignored(client, site):
    response = search(
        client, q="出租汽车", department="999999", column="nope", date_from="2019-13-45", sort="x"
    )
    assert response.status_code == 400
    html = response.content.decode()
    for message in ["所选发布机构不存在", "所选栏目不存在", "日期格式应为", "排序方式无效"]:
        assert message in html
    assert response.context["outcome"].total == search(client, q="出租汽车").context["outcome"].total
    reversed_dates = search(client, q="出租汽车", date_from="2019-09-01", date_to="2019-01-01")
    assert reversed_dates.status_code == 400
    assert "结束日期不能早于开始日期" in reversed_dates.content.decode()


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_search_page_costs_the_same_queries_however_many_results(client, site):
    urls = [
        "/search/?q=交通运输动态",
        "/search/?q=交通运输动态&page=2",
        "/search/?q=出租汽车&group=policy",
        f"/search/?q=出租汽车&sort=date&department={site['transport'].pk}",
        "/search/?q=",
    ]
    small = {url: count_queries(client, url) for url in urls}
    for n in range(30):
        item(
            site["office"],
            f"交通运输动态（{20 + n}）",
            "<p>出租汽车动态。</p>",
            Category.NEWS,
            day(2020, 1, 1 + n % 28),
        )
    large = {url: count_queries(client, url) for url in urls}
    assert small == large
    assert max(large.values()) <= QUERY_BUDGET, large


def test_only_what_was_searched_is_highlighted(client, site):
    """出租汽车经营许可 is highlighted as a whole, not its words 出租汽车 / 经营 / 许可 apart."""
    response = search(client, q="出租汽车经营许可")
    snippets = [str(r.snippet) for r in response.context["outcome"].results]
    assert any("<mark>出租汽车经营许可</mark>" in s for s in snippets)
    assert not any("<mark>经营</mark>" in s or "<mark>许可</mark>" in s for s in snippets)


def test_pages_under_a_view_restriction_are_not_found(client, site):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=site["transport"], restriction_type=PageViewRestriction.LOGIN)
    found = results(search(client, q="出租汽车经营许可"))
    assert found == [site["concern"].pk]  # the office's item; everything under 运输管理处 needs a login
