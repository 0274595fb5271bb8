"""The index stays current: publish, unpublish, edit, move, a unit's rename, deletion, rebuilds; through
Celery after commit when ASYNC_UPDATES is on (as in production), with ids only."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.test import override_settings
from modelsearch.backends import get_search_backend
from modelsearch.index import insert_or_update_object
from wagtail.models import Page

from cms.departments.models import Reorganization
from cms.departments.reorganization import run
from cms.departments.tasks import reindex_pages
from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category, Validity
from search.models import IndexEntry
from search.tasks import index_objects, reindex_subtree
from tests import factories
from tests.workers import running_worker

pytestmark = pytest.mark.django_db
ASYNC = override_settings(
    WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": "search.backend", "ASYNC_UPDATES": True}}
)


def found(query, queryset=None):
    queryset = DisclosureItemPage.objects.live() if queryset is None else queryset
    return {page.pk for page in queryset.search(query)}


def test_publish_edit_and_unpublish(department):
    page = factories.make_item(department, title="关于内河航道养护的通知")
    assert found("内河航道") == {page.pk}

    page.title = "关于京杭运河宿迁段航道养护的通知"
    factories.publish(page)
    assert found("京杭运河") == {page.pk} and found("内河航道") == set()

    page.unpublish()
    assert found("京杭运河") == set()
    assert found("京杭运河", DisclosureItemPage.objects.all()) == {page.pk}  # still findable in the admin


def test_a_document_marked_repealed_drops_below_current_ones(department):
    old = factories.make_item(department, title="出租汽车管理办法（2016）", category=Category.POLICY)
    new = factories.make_item(department, title="出租汽车管理办法（2019）", category=Category.POLICY)
    assert [p.pk for p in DisclosureItemPage.objects.live().search("出租汽车管理办法")] == [new.pk, old.pk]
    new.validity = Validity.REPEALED
    factories.publish(new)
    assert [p.pk for p in DisclosureItemPage.objects.live().search("出租汽车管理办法")] == [old.pk, new.pk]


def test_moving_an_item_to_another_unit_updates_what_it_is_found_under(tree, department):
    other = factories.make_department(
        tree["departments"], title="宿迁市港航事业发展中心", short_name="港航中心"
    )
    page = factories.make_item(department, title="船闸运行调度公告")
    assert found("港航事业发展中心") == set()
    page.move(other, pos="last-child")
    assert found("船闸运行调度", DisclosureItemPage.objects.live().descendant_of(other)) == {page.pk}
    assert found("港航事业发展中心") == {page.pk}  # the current unit's name, besides the 发布机构 at publish


def test_renaming_a_unit_reindexes_its_items(tree, department):
    # A live unit's name changes only by a reorganization (机构调整 → 更名), which reindexes what it renames.
    page = factories.make_item(department, title="年度工作总结")
    record = Reorganization.objects.create(
        kind="rename",
        spec={"unit": department.pk, "title": "宿迁市交通运输局综合处", "short_name": "综合处"},
        document_number="宿编〔2019〕12号",
        effective_date=datetime.date(2019, 3, 29),
        status=Reorganization.Status.QUEUED,
    )
    assert run(record.pk).status == "done"
    reindex_pages(
        record.pk
    )  # queued by the reorganization after its commit (tests/departments/test_worker.py)
    assert found("综合处") == {page.pk}


def test_moving_a_unit_reindexes_the_pages_below_it(tree, department):
    page = factories.make_item(department, title="年度工作总结")
    IndexEntry.objects.filter(object_id=page.pk).delete()  # as if the entry had gone stale
    department.move(tree["departments"], pos="first-child")  # same parent: a reorder only, nothing to do
    assert found("年度工作总结") == set()
    archive = factories.add_page(tree["home"], Page(title="归档", slug="archive"))
    department.move(archive, pos="last-child")
    assert found("年度工作总结", DisclosureItemPage.objects.all()) == {page.pk}


def test_deleting_removes_the_entry(department):
    page = factories.make_item(department, title="临时通知")
    assert IndexEntry.objects.filter(object_id=page.pk).exists()
    page.delete()
    assert not IndexEntry.objects.filter(object_id=page.pk).exists()
    assert found("临时通知", DisclosureItemPage.objects.all()) == set()


def test_update_index_rebuilds_from_scratch(department):
    page = factories.make_item(department, title="政务公开工作要点")
    IndexEntry.objects.all().delete()
    assert found("政务公开工作要点") == set()
    call_command("update_index", verbosity=0)
    assert found("政务公开工作要点") == {page.pk}
    entries = IndexEntry.objects.count()
    call_command("update_index", verbosity=0)
    assert IndexEntry.objects.count() == entries


def test_the_standard_indexing_api_used_by_other_apps(department):
    """Other apps (the reorganisation) re-index moved pages with insert_or_update_object and add_bulk."""
    pages = [factories.make_item(department, title=f"机构改革后的职责划分（{n}）") for n in range(3)]
    IndexEntry.objects.all().delete()
    insert_or_update_object(pages[0])
    assert found("职责划分") == {pages[0].pk}
    get_search_backend().add_bulk(DisclosureItemPage, pages[1:])
    assert found("职责划分") == {p.pk for p in pages}


@ASYNC
def test_with_celery_updates_are_sent_after_commit_with_ids_only(
    department, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(index_objects, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = factories.make_item(department, title="城市公交线路优化调整方案")
    assert sent == [] and callbacks  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert ("disclosure", "disclosureitempage", [page.pk]) in sent
    assert all(isinstance(pk, int) for *_model, pks in sent for pk in pks)
    assert found("公交线路优化") == set()  # not indexed in the request
    index_objects.run("disclosure", "disclosureitempage", [page.pk])
    assert found("公交线路优化") == {page.pk}


@ASYNC
def test_with_celery_unreachable_the_update_is_made_at_once(
    department, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    def refuse(*args):
        raise OperationalError("broker down")

    monkeypatch.setattr(index_objects, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        page = factories.make_item(department, title="应急运输保障预案")
    assert found("应急运输保障") == {page.pk}


@ASYNC
def test_moves_are_reindexed_through_celery(
    tree, department, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(reindex_subtree, "delay", lambda *args: sent.append(args))
    factories.make_item(department, title="年度工作总结")
    archive = factories.add_page(tree["home"], Page(title="归档", slug="archive"))
    with django_capture_on_commit_callbacks(execute=True):
        department.move(archive, pos="last-child")
    assert sent == [(department.pk,)]


@pytest.fixture
def celery_worker():
    with running_worker():
        yield


@ASYNC
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_indexes_what_is_published(celery_worker):
    tree = factories.site_tree()
    department = factories.make_department(tree["departments"])
    page = factories.make_item(department, title="关于开展农村公路提档升级的通知")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and found("提档升级") != {page.pk}:
        time.sleep(0.2)
    assert found("提档升级") == {page.pk}, "the worker did not index the published item"
