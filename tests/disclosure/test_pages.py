import datetime

import pytest
from django.utils import timezone
from wagtail.models import Page, get_page_models
from wagtail.test.utils import WagtailPageTestCase

from cms.departments.models import DepartmentIndexPage, DepartmentPage
from cms.disclosure.models import CataloguePage, ColumnPage, DisclosureIndexPage, DisclosureItemPage
from cms.disclosure.vocabularies import Category
from home.models import HomePage, SectionPage, StandardPage
from tests import factories


class PageTypeRulesTest(WagtailPageTestCase):
    def test_where_each_page_type_may_live(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedParentPageTypes(DisclosureIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(DepartmentIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(DepartmentPage, {DepartmentIndexPage})
        self.assertAllowedParentPageTypes(DisclosureItemPage, {DepartmentPage})
        self.assertAllowedParentPageTypes(ColumnPage, {DisclosureIndexPage})
        self.assertAllowedParentPageTypes(CataloguePage, {DisclosureIndexPage})
        self.assertAllowedParentPageTypes(SectionPage, {HomePage})
        # A unit holds disclosure items only: the plain type and every record type built on it that names a unit
        # as its parent (征求意见, 突发事件, 执法决定, …), so editors can create each of them in their subtree.
        record_types = {
            model
            for model in get_page_models()
            if issubclass(model, DisclosureItemPage) and DepartmentPage in model.clean_parent_page_models()
        }
        self.assertGreater(len(record_types), 1)
        self.assertAllowedSubpageTypes(DepartmentPage, record_types)
        self.assertAllowedSubpageTypes(DisclosureItemPage, set())
        self.assertCanNotCreateAt(HomePage, DisclosureItemPage)
        self.assertCanNotCreateAt(DisclosureIndexPage, DepartmentPage)


@pytest.mark.django_db
class TestEveryPageTypeRenders:
    def test_all_pages_render(self, client, tree, department):
        item = factories.make_item(department, category=Category.POLICY, document_number="宿交发〔2019〕45号")
        factories.make_item(department, category=Category.INTERPRETATION, interprets=item)
        pages = [
            tree["home"],
            tree["disclosure"],
            tree["departments"],
            tree["catalogue"],
            tree["news"],
            department,
            item,
            *tree["columns"].values(),
        ]
        pages += list(StandardPage.objects.all())
        for page in pages:
            response = client.get(page.url)
            assert response.status_code == 200, page
        assert {type(p.specific) for p in pages} >= {
            HomePage,
            DisclosureIndexPage,
            DepartmentIndexPage,
            CataloguePage,
            SectionPage,
            DepartmentPage,
            DisclosureItemPage,
            ColumnPage,
            StandardPage,
        }


@pytest.mark.django_db
def test_item_page_shows_metadata_table_and_meta_tags(client, department, tree):
    new = factories.make_item(department, category=Category.POLICY, title="新办法")
    old = factories.make_item(
        department,
        category=Category.POLICY,
        title="宿迁市交通运输局政务公开工作制度",
        document_number="宿交发〔2019〕45号",
        written_date=datetime.date(2019, 6, 17),
        keywords="政务公开，工作要点",
        summary="明确2019年政务公开工作任务。",
        validity="revised",
        revised_by=new,
    )
    html = client.get(old.url).content.decode()
    for text in (
        "索引号",
        old.index_number,
        "发布机构",
        "宿迁市交通运输局办公室",
        "组配分类",
        "政策文件",
        "文号",
        "宿交发〔2019〕45号",
        "成文日期",
        "2019-06-17",
        "发布日期",
        "有效性",
        "已修订",
        "关键词",
        "内容概述",
        "公开方式",
        "主动公开",
        "查看修订后的文件",
        new.url,
    ):
        assert text in html
    assert '<meta name="ArticleTitle" content="宿迁市交通运输局政务公开工作制度">' in html
    assert '<meta name="ContentSource" content="宿迁市交通运输局办公室">' in html
    assert '<meta name="ColumnName" content="政策文件">' in html
    assert '<meta name="Keywords" content="政务公开,工作要点">' in html
    assert f'<meta name="PubDate" content="{timezone.localtime(old.publish_date):%Y-%m-%d %H:%M}">' in html
    assert (
        '<meta name="SiteIDCode"' in html
        and '<meta name="Description" content="明确2019年政务公开工作任务。">' in html
    )


@pytest.mark.django_db
def test_revised_validity_needs_the_revising_document(department):
    item = factories.make_item(department, live=False)
    item.validity = "revised"
    with pytest.raises(Exception) as excinfo:
        item.full_clean()
    assert "revised_by" in str(excinfo.value)


@pytest.mark.django_db
def test_column_gathers_items_of_its_category_across_departments(client, tree, department):
    other = factories.make_department(tree["departments"], title="宿迁市公路事业发展中心")
    mine = factories.make_item(department, category=Category.NOTICES, title="办公室通知")
    theirs = factories.make_item(other, category=Category.NOTICES, title="公路中心通知")
    factories.make_item(department, category=Category.NEWS, title="一条动态")
    draft = factories.make_item(department, category=Category.NOTICES, title="未发布的通知", live=False)

    html = client.get(tree["columns"][Category.NOTICES].url).content.decode()
    assert mine.title in html and theirs.title in html
    assert "一条动态" not in html and draft.title not in html


@pytest.mark.django_db
def test_department_page_lists_its_own_items_by_column(client, tree, department):
    other = factories.make_department(tree["departments"])
    factories.make_item(department, category=Category.POLICY, title="本处政策")
    factories.make_item(department, category=Category.NEWS, title="本处动态")
    factories.make_item(other, category=Category.NEWS, title="别处动态")

    html = client.get(department.url).content.decode()
    assert "本处政策" in html and "本处动态" in html and "别处动态" not in html
    assert "政策文件（1）" in html and "工作动态（1）" in html

    html = client.get(department.url + "?column=zcwj").content.decode()
    assert "本处政策" in html and "本处动态" not in html


@pytest.mark.django_db
def test_column_rss_feed(client, tree, department):
    item = factories.make_item(department, category=Category.NOTICES, title="关于春运期间交通保障的通告")
    response = client.get(tree["columns"][Category.NOTICES].url + "rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert "<title>关于春运期间交通保障的通告</title>" in body
    assert item.index_number in body


@pytest.mark.django_db
def test_catalogue_filters_by_category_department_and_year(client, tree, department):
    other = factories.make_department(tree["departments"], title="宿迁市港航事业发展中心")
    factories.make_item(
        department,
        category=Category.POLICY,
        title="二〇一九政策",
        publish_date=timezone.make_aware(datetime.datetime(2019, 7, 1, 9)),
    )
    factories.make_item(
        department,
        category=Category.NEWS,
        title="二〇二〇动态",
        publish_date=timezone.make_aware(datetime.datetime(2020, 7, 1, 9)),
    )
    factories.make_item(
        other,
        category=Category.POLICY,
        title="港航政策",
        publish_date=timezone.make_aware(datetime.datetime(2019, 8, 1, 9)),
    )
    url = tree["catalogue"].url

    assert {"二〇一九政策", "二〇二〇动态", "港航政策"} <= set(_titles(client.get(url)))
    assert set(_titles(client.get(url + "?category=zcwj"))) == {"二〇一九政策", "港航政策"}
    assert set(_titles(client.get(url + f"?department={other.pk}"))) == {"港航政策"}
    assert set(_titles(client.get(url + "?year=2020"))) == {"二〇二〇动态"}
    assert set(_titles(client.get(url + f"?year=2019&department={department.pk}"))) == {"二〇一九政策"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, message",
    [
        ("?year=abc", "年度应为四位数字"),
        ("?category=nope", "所选组配分类不存在"),
        ("?department=999999", "所选发布机构不存在"),
    ],
)
def test_catalogue_rejects_bad_filters_with_a_message(client, tree, department, query, message):
    factories.make_item(department)
    response = client.get(tree["catalogue"].url + query)
    assert response.status_code == 400
    assert message in response.content.decode()


def _titles(response):
    assert response.status_code == 200
    import re

    return re.findall(r'<td><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.mark.django_db
def test_restricted_items_stay_out_of_listings(client, tree, department):
    from wagtail.models import PageViewRestriction

    internal = factories.make_department(tree["departments"], title="宿迁市交通运输局内部事务处")
    PageViewRestriction.objects.create(page=internal, restriction_type=PageViewRestriction.LOGIN)
    hidden = factories.make_item(internal, category=Category.NOTICES, title="仅限内部的通知")
    restricted_item = factories.make_item(department, category=Category.NOTICES, title="单独设限的通知")
    PageViewRestriction.objects.create(page=restricted_item, restriction_type=PageViewRestriction.LOGIN)
    public = factories.make_item(department, category=Category.NOTICES, title="公开的通知")

    listed = set(DisclosureItemPage.objects.published().values_list("title", flat=True))
    assert listed == set(DisclosureItemPage.objects.live().public().values_list("title", flat=True))
    assert public.title in listed and hidden.title not in listed and restricted_item.title not in listed
    html = client.get(tree["columns"][Category.NOTICES].url).content.decode()
    assert public.title in html and hidden.title not in html and restricted_item.title not in html


@pytest.mark.django_db
def test_newest_by_category_returns_the_newest_n_of_each(department):
    start = timezone.make_aware(datetime.datetime(2019, 1, 1, 9))
    made = {}
    for offset, category in enumerate([Category.NEWS, Category.NOTICES, Category.POLICY]):
        made[category] = factories.make_items(
            department, 4, category=category, start=start + datetime.timedelta(hours=offset)
        )
    factories.make_item(department, category=Category.NEWS, live=False, title="未发布")

    grouped = DisclosureItemPage.objects.published().newest_by_category(
        2, categories=[Category.NEWS, Category.POLICY]
    )

    assert set(grouped) == {Category.NEWS, Category.POLICY}
    for category in grouped:
        assert [p.pk for p in grouped[category]] == [p.pk for p in reversed(made[category])][:2]
