"""Query-count guards: listings cost the same number of queries whatever the content size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.disclosure.vocabularies import Category
from tests import factories

pytestmark = pytest.mark.django_db

PUBLIC_PAGE_QUERY_BUDGET = 15


def count_queries(client, url):
    client.get(url)  # warm per-process caches (content types, site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def make_content(tree, department):
    categories = [Category.NEWS, Category.NOTICES, Category.POLICY, Category.SERVICES]

    def grow(total):
        """Publish items, spread over four columns, until the department holds ``total``."""
        have = department.get_children().count()
        for n in range(have, total):
            factories.make_item(department, category=categories[n % len(categories)])
        return tree

    return grow


def test_public_pages_cost_the_same_queries_for_10_and_200_items(client, make_content, department):
    tree = make_content(10)
    item = department.get_children().last()
    urls = {
        "home": tree["home"].url,
        "column": tree["columns"][Category.NEWS].url,
        "column page 2": tree["columns"][Category.NEWS].url + "?page=2",
        "department": department.url,
        "department column": department.url + "?column=gzdt",
        "catalogue": tree["catalogue"].url,
        "disclosure index": tree["disclosure"].url,
        "item": item.url,
        "news section": tree["news"].url,
    }
    small = {name: count_queries(client, url) for name, url in urls.items()}
    make_content(200)
    large = {name: count_queries(client, url) for name, url in urls.items()}

    assert small == large
    assert max(large.values()) <= PUBLIC_PAGE_QUERY_BUDGET, large
