"""Ranking, filters, facets and paging of the engine, through Wagtail's search API."""

import datetime

import pytest
from django.utils import timezone
from modelsearch.query import And, Not, Or, Phrase, PlainText
from wagtail.models import Page

from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category, Validity
from tests import factories

pytestmark = pytest.mark.django_db


def day(n):
    return timezone.make_aware(datetime.datetime(2019, 3, 1, 9, 0)) + datetime.timedelta(days=n)


def item(department, title, body="<p>正文。</p>", n=0, **fields):
    fields.setdefault("keywords", "")
    fields.setdefault("summary", "有关事项说明。")
    return factories.make_item(department, title=title, body=body, publish_date=day(n), **fields)


def titles(results):
    return [page.title for page in results]


@pytest.fixture
def ranked(department):
    """Five items about 出租汽车 placed so that each ranking rule decides between two of them."""
    return {
        "body_new": item(department, "关于城市客运的说明", "<p>出租汽车经营许可的办理。</p>", n=9),
        "head": item(department, "关于道路运输的通知", keywords="出租汽车,客运", n=1),
        "title_old": item(department, "出租汽车管理办法", n=2),
        "title_new": item(department, "出租汽车经营许可办理指南", n=8),
        "repealed": item(
            department,
            "出租汽车旧规定",
            n=10,
            category=Category.POLICY,
            validity=Validity.REPEALED,
        ),
    }


def test_title_then_head_fields_then_body_then_demoted_newest_first_within_each(ranked):
    results = DisclosureItemPage.objects.live().search("出租汽车")
    assert titles(results) == [
        "出租汽车经营许可办理指南",  # title, newest
        "出租汽车管理办法",  # title, older
        "关于道路运输的通知",  # 关键词
        "关于城市客运的说明",  # body only, although the newest of all current ones
        "出租汽车旧规定",  # 废止: after every current document, although its title matches
    ]


def test_exact_phrase_ranks_before_the_terms_apart(department):
    apart = item(department, "出租汽车与许可证件", n=5)
    exact = item(department, "出租汽车许可", n=1)
    body_exact = item(department, "说明一", "<p>出租汽车许可的条件。</p>", n=6)
    body_apart = item(department, "说明二", "<p>出租汽车，办理许可。</p>", n=7)
    results = list(DisclosureItemPage.objects.live().search("出租汽车 许可"))
    assert results == [exact, apart, body_exact, body_apart]


def test_scores_follow_the_tiers(ranked):
    results = list(DisclosureItemPage.objects.live().search("出租汽车").annotate_score("_score"))
    scores = [page._score for page in results]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[2] > scores[3] > scores[4]


def test_slices_page_through_the_same_order(ranked, department):
    for n in range(12):
        item(department, f"出租汽车服务质量信誉考核（{n}）", n=20 + n)
    results = DisclosureItemPage.objects.live().search("出租汽车")
    everything = list(results)
    assert results.count() == len(everything) == 17
    pages = [list(results[start : start + 4]) for start in range(0, 20, 4)]
    assert [p for chunk in pages for p in chunk] == everything
    assert list(results[15:30]) == everything[15:]


def test_every_term_must_match_and_or_combines(department):
    both = item(department, "农村公路养护工作")
    one = item(department, "农村客运班线")
    assert list(DisclosureItemPage.objects.search("农村 养护")) == [both]
    found = DisclosureItemPage.objects.search(PlainText("养护 班线", operator="or"))
    assert set(found) == {both, one}
    assert set(DisclosureItemPage.objects.search(Or([Phrase("养护"), Phrase("班线")]))) == {both, one}


def test_exclusion(department):
    kept = item(department, "公路养护计划")
    item(department, "公路养护招标公告")
    query = And([PlainText("公路养护"), Not(PlainText("招标"))])
    assert list(DisclosureItemPage.objects.search(query)) == [kept]
    everything_else = set(DisclosureItemPage.objects.search(Not(PlainText("招标"))))
    assert kept in everything_else and all("招标" not in p.title for p in everything_else)


def test_queryset_filters_apply_at_once(department, tree):
    other = factories.make_department(
        tree["departments"], title="宿迁市港航事业发展中心", short_name="港航中心"
    )
    mine = item(department, "航道养护", category=Category.NOTICES, n=3)
    theirs = item(other, "航道养护", category=Category.NEWS, n=5)

    def found(queryset):
        return set(queryset.search("航道养护"))

    items = DisclosureItemPage.objects.live()
    assert found(items) == {mine, theirs}
    assert found(items.descendant_of(other)) == {theirs}
    assert found(items.filter(category=Category.NOTICES)) == {mine}
    assert found(items.filter(publish_date__gte=day(4))) == {theirs}
    assert found(items.filter(publish_date__year=2019)) == {mine, theirs}

    theirs.unpublish()  # gone from live() results before anything touches the index
    assert found(DisclosureItemPage.objects.live()) == {mine}
    assert found(DisclosureItemPage.objects.all()) == {mine, theirs}


def test_site_wide_search_returns_specific_pages_of_every_type(department):
    page = item(department, "交通运输行政执法公示")
    results = list(Page.objects.live().specific().search("行政执法"))
    assert page in results
    assert any(type(r).__name__ == "DepartmentPage" for r in Page.objects.live().specific().search("办公室"))


def test_facets_count_all_matches(department):
    for n in range(3):
        item(department, f"公路养护动态{n}", category=Category.NEWS)
    item(department, "公路养护规定", category=Category.POLICY)
    item(department, "无关通知", category=Category.NOTICES)
    results = DisclosureItemPage.objects.live().search("公路养护")
    assert results.facet("category") == {Category.NEWS: 3, Category.POLICY: 1}


def test_facet_on_an_annotation(department):
    from django.db.models import Case, CharField, Value, When

    item(department, "公路养护动态", category=Category.NEWS)
    item(department, "公路养护规定", category=Category.POLICY)
    queryset = DisclosureItemPage.objects.live().annotate(
        group=Case(
            When(category=Category.POLICY, then=Value("policy")),
            default=Value("other"),
            output_field=CharField(),
        )
    )
    assert queryset.search("公路养护").facet("group") == {"policy": 1, "other": 1}


def test_ordering_by_the_queryset_when_relevance_is_off(ranked):
    oldest_first = DisclosureItemPage.objects.live().order_by("publish_date")
    results = oldest_first.search("出租汽车", order_by_relevance=False)
    dates = [page.publish_date for page in results]
    assert dates == sorted(dates) and len(dates) == 5
    newest_first = DisclosureItemPage.objects.live().order_by().search("出租汽车", order_by_relevance=False)
    assert [p.publish_date for p in newest_first] == sorted(dates, reverse=True)


def test_autocomplete_matches_what_is_being_typed(department):
    page = item(department, "G25长深高速公路宿迁段")
    assert page in DisclosureItemPage.objects.autocomplete("g2")
    assert page in DisclosureItemPage.objects.autocomplete("长深高")
    assert page in DisclosureItemPage.objects.autocomplete("宿")
    assert page not in DisclosureItemPage.objects.search("g2")  # whole words only in search


@pytest.mark.parametrize(
    "query",
    [
        '" * - ( ) NEAR AND OR',
        '"',
        "*",
        "NEAR(交通 公路)",
        "交通 OR",
        "AND",
        "-",
        "()",
        "🚌🚕",
        "交通\x00公路",
        "'",
    ],
)
def test_query_syntax_characters_are_plain_text(department, query):
    item(department, "交通公路")
    results = DisclosureItemPage.objects.search(query)
    assert isinstance(results.count(), int)
    list(results)


def test_full_width_and_case_insensitive(department):
    page = item(department, "ＥＴＣ通行费优惠政策（２０１９）")
    assert page in DisclosureItemPage.objects.search("etc 2019")
    assert page in DisclosureItemPage.objects.search("ETC通行费")
