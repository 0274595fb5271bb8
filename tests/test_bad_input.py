"""Bad input gives a clean page or a 4xx with a message, never a 500."""

import pytest

from cms.disclosure.vocabularies import Category
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def column_with_items(tree, department, settings):
    settings.DISCLOSURE_PAGE_SIZE = 5
    factories.make_items(department, 12, category=Category.NEWS)
    return tree["columns"][Category.NEWS]


@pytest.mark.parametrize(
    "query, expected_page",
    [
        ("?page=abc", 1),
        ("?page=99999", 3),
        ("?page=-1", 3),
        ("?page=0", 3),
        ("?page=1.5", 1),
        ("?page=" + "9" * 5000, 1),
        ("?page=2", 2),
    ],
)
def test_pagination_falls_back_to_the_nearest_valid_page(client, column_with_items, query, expected_page):
    response = client.get(column_with_items.url + query)
    assert response.status_code == 200
    assert response.context["items"].number == expected_page


def test_department_column_pagination_and_unknown_column(client, column_with_items, department):
    assert client.get(department.url + "?column=gzdt&page=zzz").status_code == 200
    response = client.get(department.url + "?column=unknown")
    assert response.status_code == 200 and "工作动态" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",
        "/xxgk/no-such-column/",
        "/jgsz/bgs/no-such-item/",
        "/xxgk/gzdt/rss/extra/",
        "/documents/999999/missing.pdf",
    ],
)
def test_unknown_urls_give_a_clean_404(client, column_with_items, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode() or path.startswith("/documents/")


def test_overlong_search_query_gives_400_with_message(client, tree):
    response = client.get("/search/?q=" + "交通" * 500)
    assert response.status_code == 400
    assert "搜索词过长" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["date_to=9999-12-31", "date_from=0001-01-01", "date_from=0001-01-01&date_to=9999-12-31"]
)
def test_search_dates_out_of_range_give_400_with_message_and_keep_the_query(client, tree, query):
    response = client.get("/search/?q=通知&" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "日期应在1900年至2099年之间" in html and 'value="通知"' in html


def test_overlong_query_string_on_a_listing(client, column_with_items):
    response = client.get(column_with_items.url + "?page=2&" + "x=" + "y" * 20000)
    assert response.status_code == 200


def test_search_page_with_bad_page_number(client, column_with_items):
    assert client.get("/search/?q=通知&page=abc").status_code == 200
