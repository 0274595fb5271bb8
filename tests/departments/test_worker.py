"""A confirmed reorganization runs in a real Celery worker (in-memory broker, or Redis when CELERY_BROKER_URL is
set): the admin's progress endpoint answers while its transaction is open, and the search index follows."""

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.models import Page

from cms.departments import reorganization as reorganization_module
from cms.departments.models import Reorganization
from cms.disclosure.vocabularies import Category
from tests import factories
from tests.bulk import bulk_items
from tests.workers import running_worker

from .conftest import when


@pytest.fixture
def celery_worker():
    with running_worker():
        yield


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.mark.django_db(transaction=True)
def test_a_confirmed_merge_runs_in_the_worker_while_the_admin_follows_it(client, celery_worker, monkeypatch):
    tree = factories.site_tree()
    glglc = factories.make_department(
        tree["departments"], title="宿迁市公路管理处", short_name="公路处", slug="glglc"
    )
    glzx = factories.make_department(
        tree["departments"], title="宿迁市公路事业发展中心", short_name="公路中心", slug="glzx"
    )
    bulk_items(
        glglc,
        [
            {
                "slug": f"gl-{n}",
                "title": f"国省干线公路养护信息（{n}）",
                "category": Category.NEWS,
                "publish_date": when(n),
            }
            for n in range(600)
        ],
    )
    client.force_login(factories.make_user("admin", superuser=True))

    # The worker's transaction stays open at its last step until the test has read the progress.
    reached, release = threading.Event(), threading.Event()
    original = reorganization_module.Executor.record_history

    def held_open(self):
        reached.set()
        assert release.wait(60), "the test never released the worker"
        return original(self)

    monkeypatch.setattr(reorganization_module.Executor, "record_history", held_open)

    response = client.post(
        reverse("reorganizations:create", args=["merge"]),
        {
            "sources": [glglc.pk],
            "target": glzx.pk,
            "document_number": "宿编〔2019〕12号",
            "effective_date": "2019-03-29",
        },
    )
    record = Reorganization.objects.get()
    assert response.status_code == 302
    client.post(reverse("reorganizations:confirm", args=[record.pk]))  # queued after the commit

    try:
        assert reached.wait(60), "the worker did not start the reorganization"
        progress_url = reverse("reorganizations:progress", args=[record.pk])
        started = time.monotonic()
        progress = client.get(progress_url).json()
        assert time.monotonic() - started < 5  # answered while the task's transaction holds the write lock
        # Units of work: 600 pages to move, then 600 old URLs to redirect.
        assert progress["status"] == "running" and progress["total"] == 1200 and not progress["finished"]
        if connection.vendor == "postgresql":  # written through its own connection as the task goes
            assert (progress["done"], progress["step"]) == (1200, "调整权限")
        else:  # SQLite: one writer at a time, so progress is coarse
            assert (progress["done"], progress["step"]) == (0, "执行中")
        assert Page.objects.child_of(glglc).count() == 600  # nothing visible before the commit
    finally:
        release.set()  # also when an assertion failed: the worker must not wait for ever

    record = wait_for(lambda: Reorganization.objects.filter(pk=record.pk, status="done").first())
    assert not Page.objects.child_of(glglc).exists() and Page.objects.child_of(glzx).count() == 600
    # The search index task ran after the commit, in the worker, for the 600 moved pages.
    record = wait_for(
        lambda: Reorganization.objects.filter(pk=record.pk, result__has_key="search_reindexed").first()
    )
    assert record.result["search_reindexed"] == 600
    html = client.get("/search/?q=国省干线公路养护信息").content.decode()
    assert 'href="/jgsz/glzx/gl-' in html and 'href="/jgsz/glglc/gl-' not in html
    result = client.get(reverse("reorganizations:detail", args=[record.pk])).content.decode()
    assert "搜索索引已更新：600 个页面" in result
