"""The sandbox on a free port, accounts registered with it, and pages released through the real review gate."""

import datetime
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from cms.disclosure.models import DisclosureItemPage
from cms.disclosure.vocabularies import Category
from cms.review.gate import approve_stage
from syndication.management.commands.syndication_sandbox import register_accounts
from syndication.models import Account, WeChatTarget, WeiboTarget
from syndication.sandbox import Sandbox
from tests import factories
from tests.review.conftest import people  # noqa: F401  (the editor and the three reviewers)

SECRETS = {
    "SQJT_WECHAT": "wx-secret-for-tests",
    "SQJT_WECHAT_TOKEN": "wx-callback-token",
    "SQJT_WEIBO": "wb-secret-for-tests",
}
WEIBO_UID = "5000000001"


@pytest.fixture
def sandbox(settings):
    with Sandbox(publish_seconds=0.2, posts_per_hour=10_000) as box:
        settings.SYNDICATION_WECHAT_API_BASE = box.url
        settings.SYNDICATION_WEIBO_API_BASE = box.url
        settings.SYNDICATION_WEIBO_WEB_BASE = box.url + "/weibo"
        yield box


@pytest.fixture
def accounts(tree, sandbox, settings):
    settings.SYNDICATION_SECRETS = dict(SECRETS)
    cover = factories.make_image("宿迁交通默认封面", size=(900, 383))
    wechat = Account.objects.create(
        channel="wechat",
        name="宿迁交通",
        app_id="wx5f3a2b1c0d9e8f70",
        secret_name="SQJT_WECHAT",
        default_cover=cover,
        default_author="宿迁交通",
        mass_send_allowed=True,
    )
    weibo = Account.objects.create(
        channel="weibo",
        name="宿迁交通",
        app_id="2876543210",
        secret_name="SQJT_WEIBO",
        safe_domain="jtj.suqian.gov.cn",
        weibo_uid=WEIBO_UID,
        weibo_access_token="weibo-token-for-tests-0001",
        weibo_token_expires_at=timezone.now() + datetime.timedelta(days=30),
    )
    register_accounts(sandbox)
    return {"wechat": wechat, "weibo": weibo}


def opt_in(page, wechat=None, weibo=None, **fields):
    """Add new-media targets to a draft page's latest revision, as the 新媒体 tab does."""
    page = DisclosureItemPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    if wechat is not None:
        page.wechat_targets.add(
            WeChatTarget(
                account=wechat,
                **{
                    k: v
                    for k, v in fields.items()
                    if k in ("title", "digest", "author", "mass_send", "cover")
                },
            )
        )
    if weibo is not None:
        page.weibo_targets.add(WeiboTarget(account=weibo, text=fields.get("text", "")))
    page.save_revision(user=fields.get("user"))
    return page


def release_through_gate(page, staff):
    """Submit the page's latest revision and approve the three human stages, as the reviewers would.
    ``staff`` is the ``people`` fixture: the editor and one reviewer per stage."""
    page = DisclosureItemPage.objects.get(pk=page.pk)
    page.get_workflow().start(page, staff["editor"])
    for stage in ("political", "policy", "text"):
        state = DisclosureItemPage.objects.get(pk=page.pk).current_workflow_task_state
        assert state is not None, f"no review stage waiting before {stage}: {page.title}"
        approve_stage(state.task.specific, state, staff[stage], comment="同意")
    page = DisclosureItemPage.objects.get(pk=page.pk)
    assert page.live, f"{page.title} did not go live through the gate"
    return page


def draft_news(department, title="宿迁市交通运输局召开2019年政务公开工作推进会", **fields):
    fields.setdefault(
        "body",
        "<p>6月18日，市交通运输局召开2019年政务公开工作推进会，部署全年政务公开重点任务。</p>"
        "<p>会议要求，各单位要严格落实政府信息公开条例，把好政治关、政策关、文字关。</p>",
    )
    return factories.make_item(department, category=Category.NEWS, live=False, title=title, **fields)


def drain(timeout=30):
    """Run every due job, as workers would, until none is active; the job's own waits are honoured."""
    import time

    from syndication.engine import run_job
    from syndication.models import SyndicationJob

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        active = list(SyndicationJob.objects.active().values_list("pk", "next_attempt_at"))
        if not active:
            return
        now = timezone.now()
        due = [pk for pk, at in active if at is None or at <= now]
        for pk in due:
            run_job(pk)
        if not due:
            time.sleep(0.05)
    states = list(SyndicationJob.objects.active().values_list("pk", "state", "step", "last_error"))
    raise AssertionError(f"jobs still active after {timeout} s: {states}")


def released(department, staff, accounts, channels=("wechat", "weibo"), title=None, **fields):
    """A news item opted into the given channels and released through the gate; returns (page, {channel: job})."""
    from syndication.models import SyndicationJob

    page = draft_news(department, user=staff["editor"], **({"title": title} if title else {}))
    opt_in(
        page,
        wechat=accounts["wechat"] if "wechat" in channels else None,
        weibo=accounts["weibo"] if "weibo" in channels else None,
        **fields,
    )
    page = release_through_gate(page, staff)
    return page, {job.channel: job for job in SyndicationJob.objects.filter(page=page)}


def article_count(sandbox, link):
    return sum(1 for a in sandbox.wechat.articles.values() if a["articles"][0]["content_source_url"] == link)


def post_count(sandbox, link):
    return sum(1 for s in sandbox.weibo.statuses if link in s["text"])


# A Celery worker in its own process, as in production --------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _database_url():
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(sandbox, tmp_path, **extra):
    """The environment of a worker subprocess: this test database, this run's broker, the sandbox, the secrets."""
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        DATABASE_URL=_database_url(),
        PORTAL_VAR_DIR=str(tmp_path),
        SYNDICATION_WECHAT_API_BASE=sandbox.url,
        SYNDICATION_WEIBO_API_BASE=sandbox.url,
        SYNDICATION_DISPATCH_SECONDS="1",
        **{f"SYNDICATION_SECRET_{name}": value for name, value in SECRETS.items()},
        **extra,
    )
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL  # this run's broker: SQLite file, or Redis
    return env


def worker_process(env, log, beat=False, pool="prefork", concurrency=1):
    command = [
        sys.executable, "-m", "celery", "-A", "cms", "worker", "-P", pool, "-c", str(concurrency),
        "-Q", "celery,syndication", "--without-mingle", "--without-gossip", "--loglevel", "INFO",
    ]  # fmt: skip
    if beat:
        command += ["-B", "-s", str(Path(env["PORTAL_VAR_DIR"]) / "beat-schedule")]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_worker(process, sig=signal.SIGTERM, timeout=30):
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_for(predicate, timeout, what, log_path=None):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    log = log_path.read_text(errors="replace")[-4000:] if log_path and log_path.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{log}")
