"""Scheduled publishing through a real Celery worker (in-memory broker, or Redis when CELERY_BROKER_URL is set)."""

import datetime
import time

import pytest
from django.utils import timezone

from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.tasks import publish_scheduled_pages
from cms.review.gate import bypass
from tests import factories
from tests.workers import running_worker


@pytest.fixture
def celery_worker():
    with running_worker():
        yield


@pytest.mark.django_db(transaction=True)
def test_beat_task_publishes_a_scheduled_item_with_its_index_number(celery_worker):
    tree = factories.site_tree()
    department = factories.make_department(tree["departments"], org_code="014319557")
    page = factories.make_item(department, live=False, title="关于2019年国庆节期间道路运输保障的通知")
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision()
    with bypass("定时发布测试：经分管领导批准", user=None):
        revision.publish()  # a future go-live time: scheduled, not live yet; the bypass is recorded
    page.refresh_from_db()
    assert not page.live and page.index_number is None

    # The go-live time arrives: move both the approval and the revision's own go-live time into the past.
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.refresh_from_db()
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    before = timezone.now()
    publish_scheduled_pages.delay()

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page = DisclosureItemPage.objects.get(pk=page.pk)
        if page.live:
            break
        time.sleep(0.2)
    assert page.live, "the worker did not publish the scheduled page"
    assert page.index_number.startswith("014319557/")
    assert page.publish_date >= before - datetime.timedelta(
        seconds=5
    )  # the real publish moment, not back-dated


def test_beat_schedule_runs_the_task_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]
    assert entry["task"] == publish_scheduled_pages.name
    assert entry["schedule"].minute == set(range(60))
