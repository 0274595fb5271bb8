"""Pages approved through the gate, pushed by a real Celery worker (its own processes, as in production) to a
sandbox that injects random faults into a quarter of the calls: every page ends up posted exactly once per
channel, and no draft is left behind.

60 pages in the suite (about 300 calls, some 75 faults: every kind fires); ``CHAOS_PAGES=200`` for a longer run."""

import collections
import os
import time

import pytest

from syndication.models import JobState, SyndicationJob
from tests.workers import purge_queues

from .conftest import (
    article_count,
    draft_news,
    opt_in,
    post_count,
    release_through_gate,
    stop_worker,
    worker_env,
    worker_process,
)
from .titles import news_titles

PAGES = int(os.environ.get("CHAOS_PAGES", 60))


@pytest.mark.django_db(transaction=True)
def test_pages_with_random_faults_are_each_posted_exactly_once(
    department, people, accounts, sandbox, tmp_path
):
    accounts["weibo"].posts_per_hour = 1000  # the hourly limit has its own test; the sandbox allows more
    accounts["weibo"].save()
    titles = news_titles(PAGES)
    pages = []
    for title in titles:
        page = draft_news(department, user=people["editor"], title=title)
        opt_in(page, wechat=accounts["wechat"], weibo=accounts["weibo"], text=f"【宿迁交通】{title}")
        pages.append(page)
    sandbox.wechat.publish_seconds = 0.05
    sandbox.faults.chaos(rate=0.25, seed=20190618, delay=1.3)
    purge_queues()
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        worker = worker_process(
            worker_env(sandbox, tmp_path, SYNDICATION_READ_TIMEOUT="1.0"), log, concurrency=6
        )
        try:
            started = time.monotonic()
            for page in pages:
                release_through_gate(page, people)  # each release commits; its jobs are enqueued after commit
            released = time.monotonic()
            deadline = time.monotonic() + 240
            while SyndicationJob.objects.active().exists() and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            print(  # noqa: T201 - the figures of this run, shown with -s
                f"released {PAGES} pages in {released - started:.0f} s, all pushed {time.monotonic() - released:.0f} s later"
            )
            stop_worker(worker)
    states = collections.Counter(SyndicationJob.objects.values_list("state", flat=True))
    stuck = [
        (job.pk, job.channel, job.state, job.step, job.in_flight, job.last_error, job.history[-3:])
        for job in SyndicationJob.objects.exclude(state=JobState.PUBLISHED)[:5]
    ]
    assert states == {JobState.PUBLISHED: 2 * PAGES}, (
        states,
        stuck,
        log_path.read_text(errors="replace")[-2000:],
    )
    for page in pages:
        link = "https://jtj.suqian.gov.cn" + page.url
        assert (article_count(sandbox, link), post_count(sandbox, link)) == (1, 1), page.title
    assert len(sandbox.wechat.drafts) == 0  # no orphan draft from a retried draft/add
    fired = collections.Counter(kind for _path, kind, _code in sandbox.faults.log)
    for kind in ("error", "http_500", "drop_after", "slow_after", "expire_token", "slow_success"):
        assert fired[kind] > 0, f"chaos never injected {kind}: {fired}"
    assert sum(fired.values()) >= PAGES
