"""A merge of two departments holding 2,000 pages between them, and a failure injected halfway through one.

The tree is built once for the module (bulk-inserted items, see tests/bulk.py) inside a transaction that is rolled
back at the end; each test runs in a savepoint of it, as pytest-django's ``db`` does.
"""

import random

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry, Revision

from cms.departments import reorganization as reorganization_module
from cms.departments.models import DepartmentHistoryEntry, Reorganization
from cms.departments.reorganization import run
from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category
from tests import factories
from tests.bulk import bulk_items, check_tree

from .conftest import reorganization, when

A_PAGES, B_PAGES = 1_200, 800
CATEGORIES = [Category.NEWS, Category.NOTICES, Category.POLICY, Category.SERVICES, Category.LAW_ENFORCEMENT]


def fill(unit, count, prefix, clashes=0):
    """``count`` items; the first ``clashes`` take slugs that the other unit also has."""
    return bulk_items(
        unit,
        [
            {
                "slug": f"shared-{n}" if n < clashes else f"{prefix}-{n}",
                "title": f"{unit.short_name}关于交通运输工作的信息（{n}）",
                "category": CATEGORIES[n % len(CATEGORIES)],
                "publish_date": when(n % 700),
            }
            for n in range(count)
        ],
    )


@pytest.fixture(scope="module")
def volume(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        tree = factories.site_tree()
        index = tree["departments"]
        a = factories.make_department(index, title="宿迁市公路管理处", short_name="公路处", slug="glglc")
        b = factories.make_department(
            index, title="宿迁市公路事业发展中心", short_name="公路中心", slug="glzx"
        )
        other = factories.make_department(
            index, title="宿迁市交通运输局办公室", short_name="办公室", slug="bgs"
        )
        small = factories.make_department(index, title="宿迁市地方海事局", short_name="海事局", slug="dfhsj")
        larger = factories.make_department(index, title="宿迁市港航管理处", short_name="港航处", slug="ghglc")
        harbour = factories.make_department(
            index, title="宿迁市港航事业发展中心", short_name="港航中心", slug="ghzx"
        )
        fill(a, A_PAGES, "a", clashes=40)
        fill(b, B_PAGES, "b", clashes=40)
        fill(small, 60, "s")
        fill(larger, 240, "l")
        real = factories.make_item(a, title="关于国省干线公路桥梁检测工作的通知", slug="qljc")
        DisclosureItemPage.objects.filter(path__startswith=a.path, slug="a-47").update(live=False)  # a draft
        people = {
            "a_editor": factories.make_user("glglc_editor", groups=[a.editors_group]),
            "a_reviewer": factories.make_user("glglc_reviewer", groups=[a.reviewers_group]),
            "b_editor": factories.make_user("glzx_editor", groups=[b.editors_group]),
            "other_editor": factories.make_user("bgs_editor", groups=[other.editors_group]),
        }
        yield {
            "tree": tree,
            "a": a,
            "b": b,
            "other": other,
            "small": small,
            "larger": larger,
            "harbour": harbour,
            "real": real,
            "people": people,
        }
        transaction.set_rollback(True)


def snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values()),
        "items": list(
            DisclosureItemPage.objects.order_by("pk").values_list("pk", "index_number", "publisher_name")
        ),
        "revisions": list(Revision.objects.order_by("pk").values_list("pk", "object_id", "content")),
        "redirects": list(Redirect.objects.order_by("pk").values()),
        "groups": sorted(Group.objects.values_list("pk", "name")),
        "memberships": sorted(Group.user_set.through.objects.values_list("user_id", "group_id")),
        "history": DepartmentHistoryEntry.objects.count(),
        "log": PageLogEntry.objects.count(),
    }


@pytest.mark.django_db
def test_merge_of_2000_pages_every_old_url_redirects_to_a_live_page(client, volume):
    a, b, people = volume["a"], volume["b"], volume["people"]
    moving = list(Page.objects.child_of(a).values_list("pk", "url_path", "live"))
    assert len(moving) == A_PAGES + 1 and Page.objects.child_of(b).count() == B_PAGES
    old_urls = {pk: url_path[len("/home") :] for pk, url_path, live in moving if live}
    identity = dict(DisclosureItemPage.objects.child_of(a).values_list("pk", "index_number"))

    with CaptureQueriesContext(connection) as queries:
        record = run(reorganization("merge", {"sources": [a.pk], "target": b.pk}).pk)
    assert record.status == "done", record.error
    assert record.result["pages_moved"] == A_PAGES + 1 and record.result["slugs_renamed"] == 40
    assert record.result["redirects"] == len(old_urls) == A_PAGES
    # Batches of 500, not a query per page: see test_query_count_does_not_grow_with_the_pages for the guard.
    assert len(queries) < 150, len(queries)

    check_tree()
    assert Page.objects.child_of(b).count() == A_PAGES + B_PAGES + 1 and not Page.objects.child_of(a).exists()
    # Every old URL, each one: a permanent redirect to the page's current URL, and that page is live there.
    pages = {p.pk: p for p in Page.objects.filter(pk__in=old_urls).only("url_path", "live", "path")}
    for pk, old_url in old_urls.items():
        response = client.get(old_url)
        assert response.status_code == 301, old_url
        assert response["Location"] == pages[pk].url_path[len("/home") :] and pages[pk].live, old_url
    for pk in random.Random(3).sample(sorted(old_urls), 25):
        assert client.get(pages[pk].url_path[len("/home") :]).status_code == 200
    # 索引号 unchanged.
    assert (
        dict(DisclosureItemPage.objects.filter(pk__in=identity).values_list("pk", "index_number")) == identity
    )
    # Editors on both sides reach the moved content; an editor of another unit does not.
    moved = Page.objects.get(pk=volume["real"].pk)
    User = type(people["a_editor"])
    for name, allowed in (
        ("a_editor", True),
        ("a_reviewer", True),
        ("b_editor", True),
        ("other_editor", False),
    ):
        user = User.objects.get(pk=people[name].pk)
        assert moved.permissions_for_user(user).can_edit() is allowed, name
    # The history is on both public pages.
    assert "整体并入宿迁市公路事业发展中心" in client.get("/jgsz/glglc/").content.decode()
    assert "宿迁市公路管理处并入本机构" in client.get("/jgsz/glzx/").content.decode()


@pytest.mark.django_db
def test_a_failure_injected_halfway_leaves_the_tree_exactly_as_it_was(volume, monkeypatch):
    a, b = volume["a"], volume["b"]
    before = snapshot()
    writes = []
    original = reorganization_module.Executor._write

    def fail_on_the_second_batch(self, batch, in_place):
        writes.append(len(batch))
        if len(writes) == 2:  # 500 pages already rewritten with their new paths
            raise RuntimeError("磁盘已满（测试注入的故障）")
        return original(self, batch, in_place)

    monkeypatch.setattr(reorganization_module.Executor, "_write", fail_on_the_second_batch)
    record = run(reorganization("merge", {"sources": [a.pk], "target": b.pk}).pk)

    assert record.status == Reorganization.Status.FAILED
    assert "磁盘已满" in record.error and "已全部回滚，未作任何更改" in record.error
    assert writes == [500, 500]
    assert snapshot() == before
    check_tree()


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_pages(volume):
    """Pages are written in batches, never with a query each: 240 pages cost at most a handful of queries more
    than 60 (one more batch per statement; SQLite's parameter limit keeps batches at 100 to 200 rows)."""
    counts = []
    for source in (volume["small"], volume["larger"]):
        with CaptureQueriesContext(connection) as queries:
            record = run(reorganization("merge", {"sources": [source.pk], "target": volume["harbour"].pk}).pk)
        assert record.status == "done", record.error
        counts.append(len(queries))
    small, large = counts
    assert large - small <= (240 - 60) / 25, counts  # one query per page would add 180
