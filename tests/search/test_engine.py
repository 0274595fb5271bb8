"""The engine through Wagtail's search API: Chinese text is found, on SQLite and PostgreSQL."""

import pytest
from django.test import override_settings
from wagtail.models import Page

from tests import factories

pytestmark = pytest.mark.django_db

CHINESE_QUERIES = ["交通", "行政执法", "依申请公开", "12345"]


@pytest.fixture
def items(department):
    return [
        factories.make_item(
            department,
            title="关于推进行政执法信息公开的通知",
            body="<p>严格落实行政执法公示制度，规范依申请公开答复，做好12345热线工单办理。</p>",
        ),
        factories.make_item(department, title="春运期间公交线路调整", body="<p>市区公交线路延时运营。</p>"),
    ]


def rebuild():
    from django.core.management import call_command

    call_command("update_index", verbosity=0)


@pytest.mark.parametrize("query", CHINESE_QUERIES)
def test_stock_database_backend_finds_no_chinese(items, query):
    """Why this app exists: Wagtail's own database backend indexes a run of Chinese as one token."""
    with override_settings(
        WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": "wagtail.search.backends.database"}}
    ):
        rebuild()
        found = list(Page.objects.live().search(query))
    assert items[0].page_ptr not in found


@pytest.mark.parametrize("query", CHINESE_QUERIES)
def test_chinese_queries_find_the_page_that_contains_them(items, query):
    found = {p.pk for p in Page.objects.live().search(query)}
    assert items[0].pk in found
    # 交通 is also in the other item's 发布机构 (宿迁市交通运输局办公室); the other queries are not.
    assert (items[1].pk in found) == (query == "交通")
