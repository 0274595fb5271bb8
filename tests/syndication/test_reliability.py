"""Exactly once under concurrency and crashes: single-flight token refresh, leases, a killed worker, the
dispatcher, WeChat's (possibly repeated) push, withdrawals, republishing, and secrets kept out of logs."""

import hashlib
import logging
import os
import signal
import threading
import time
from pathlib import Path

import pytest
import requests
from django.db import connections
from django.test import override_settings
from django.utils import timezone

from syndication.clients.wechat import WeChatClient
from syndication.engine import claim, dispatch_due, run_job
from syndication.models import JobAction, JobState, RepublishPolicy, SyndicationJob, WeChatEvent
from syndication.tokens import wechat_token, with_wechat_token
from tests import factories
from tests.workers import purge_queues

from .conftest import (
    SECRETS,
    article_count,
    drain,
    opt_in,
    post_count,
    release_through_gate,
    released,
    stop_worker,
    wait_for,
    worker_env,
    worker_process,
)

ROOT = Path(__file__).resolve().parents[2]


def link_of(page):
    return "https://jtj.suqian.gov.cn" + page.url


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_refresh_an_expired_token_once(accounts, sandbox):
    account = accounts["wechat"]
    client = WeChatClient()
    token = wechat_token(account, client)
    assert sandbox.count("/cgi-bin/stable_token") == 1
    sandbox.wechat.expire_tokens(token, time.time())  # the platform expired it; the database does not know
    start, results, errors = threading.Barrier(8), [], []

    def worker():
        try:
            start.wait()
            results.append(
                with_wechat_token(account, WeChatClient(), lambda t: WeChatClient().batchget_drafts(t))
            )
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [] and len(results) == 8
    assert (
        sandbox.count("/cgi-bin/stable_token") == 2
    )  # the first token, and exactly one refresh for all eight
    assert sandbox.count("/cgi-bin/draft/batchget") == 16  # each rejected once (42001), then accepted


@pytest.mark.django_db
def test_a_claimed_job_is_not_run_twice_and_an_abandoned_one_is_resumed(
    department, people, accounts, sandbox, settings, monkeypatch
):
    page, jobs = released(department, people, accounts, channels=("wechat",))
    job = jobs["wechat"]
    first = claim(job.pk)
    assert first is not None and first.leased_by
    assert claim(job.pk) is None  # a second delivery of the task does nothing
    assert run_job(job.pk) is None
    # The first worker dies while its submit may have reached WeChat: lease expired, the call marked in flight.
    SyndicationJob.objects.filter(pk=job.pk).update(
        lease_until=timezone.now() - timezone.timedelta(seconds=1),
        in_flight="draft",
        in_flight_at=timezone.now(),
    )
    dispatched = []
    from syndication import tasks

    monkeypatch.setattr(tasks, "enqueue", lambda pk, urgent=False, countdown=None: dispatched.append(pk))
    assert dispatch_due() == 1
    assert dispatched == [job.pk]
    drain()
    job.refresh_from_db()
    assert job.state == JobState.PUBLISHED
    assert any(h["step"] == "draft" and h["outcome"] == "reconciled" for h in job.history)
    assert article_count(sandbox, link_of(page)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_job_resumes_without_a_duplicate(
    department, people, accounts, sandbox, tmp_path
):
    env = worker_env(sandbox, tmp_path, SYNDICATION_LEASE_SECONDS="4", SYNDICATION_READ_TIMEOUT="60")
    purge_queues()
    page, jobs = released(department, people, accounts, channels=("wechat",))
    job = jobs["wechat"]
    # WeChat accepts the submit, then the answer hangs: the worker is killed while it waits.
    sandbox.faults.add("/cgi-bin/freepublish/submit", "slow_after", delay=30)
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        first = worker_process(env, log, beat=True)
        try:
            wait_for(
                lambda: sandbox.count("/cgi-bin/freepublish/submit") == 1, 120, "the first submit", log_path
            )
            wait_for(
                lambda: SyndicationJob.objects.get(pk=job.pk).in_flight == "submit", 10, "the mark", log_path
            )
        finally:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        assert (
            SyndicationJob.objects.get(pk=job.pk).state == JobState.PENDING
        )  # died before it could say anything

        second = worker_process(env, log, beat=True)
        try:
            wait_for(
                lambda: SyndicationJob.objects.get(pk=job.pk).is_final, 120, "the second worker", log_path
            )
        finally:
            stop_worker(second)
    job.refresh_from_db()
    assert job.state == JobState.PUBLISHED, (job.last_error, log_path.read_text(errors="replace")[-3000:])
    assert sandbox.count("/cgi-bin/freepublish/submit") == 1  # reconciled, never submitted again
    assert article_count(sandbox, link_of(page)) == 1
    assert any(h["step"] == "submit" and h["outcome"] == "reconciled" for h in job.history)


# WeChat's PUBLISHJOBFINISH push ----------------------------------------------------------------------


def _signed(token, timestamp="1559200000", nonce="abc123"):
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return f"signature={signature}&timestamp={timestamp}&nonce={nonce}"


PUSH = (
    "<xml><ToUserName><![CDATA[gh_4d00ed8d6399]]></ToUserName><FromUserName><![CDATA[oV5CrjpxgaGX]]></FromUserName>"
    "<CreateTime>{time}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[PUBLISHJOBFINISH]]></Event>"
    "<PublishEventInfo><publish_id>{publish_id}</publish_id><publish_status>0</publish_status>"
    "<article_id><![CDATA[b5O2OUs25HBxRceL7hfReg]]></article_id></PublishEventInfo></xml>"
)


@pytest.mark.django_db
def test_the_push_is_checked_deduplicated_and_only_wakes_the_job(
    client, department, people, accounts, sandbox, settings
):
    settings.SYNDICATION_POLL_SECONDS = [3600]  # without the push, the job would not look again for an hour
    page, jobs = released(department, people, accounts, channels=("wechat",))
    job = jobs["wechat"]
    run_job(job.pk)
    job.refresh_from_db()
    assert job.state == JobState.SUBMITTED and job.publish_id
    url = f"/syndication/wechat/{accounts['wechat'].pk}/events/"
    body = PUSH.format(time=1559200100, publish_id=job.publish_id)
    token = SECRETS["SQJT_WECHAT_TOKEN"]
    assert client.post(f"{url}?{_signed('wrong')}", body, content_type="text/xml").status_code == 403
    assert client.post(f"{url}?{_signed(token)}", "<xml><broken", content_type="text/xml").status_code == 400
    assert client.get(f"{url}?{_signed(token)}&echostr=hello").content == b"hello"  # the URL check
    for _ in range(3):  # WeChat repeats a push it thinks was lost
        response = client.post(f"{url}?{_signed(token)}", body, content_type="text/xml")
        assert response.status_code == 200 and response.content == b"success"
    assert WeChatEvent.objects.count() == 1
    job.refresh_from_db()
    assert job.next_attempt_at <= timezone.now()  # woken: it polls freepublish/get now, the source of truth
    time.sleep(0.3)  # the sandbox finishes publishing
    drain(timeout=10)
    job.refresh_from_db()
    assert job.state == JobState.PUBLISHED and article_count(sandbox, link_of(page)) == 1


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_pushes_to_the_portal_and_the_push_finishes_the_job(
    live_server, department, people, accounts, sandbox, settings
):
    settings.SYNDICATION_POLL_SECONDS = [3600]
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    from syndication.management.commands.syndication_sandbox import register_accounts

    register_accounts(sandbox)  # the account's server URL is now the live server's
    sandbox.faults.add("PUBLISHJOBFINISH", "duplicate_push")
    page, jobs = released(department, people, accounts, channels=("wechat",))
    run_job(jobs["wechat"].pk)
    wait_for(lambda: len(sandbox.pushes) == 2, 10, "both pushes")
    assert [answer for _id, _status, answer in sandbox.pushes] == [200, 200]
    assert WeChatEvent.objects.count() == 1
    drain(timeout=10)
    assert SyndicationJob.objects.get(pk=jobs["wechat"].pk).state == JobState.PUBLISHED


# Withdrawals and republishing ------------------------------------------------------------------------


@pytest.mark.django_db
def test_unpublishing_deletes_the_wechat_article_and_flags_the_weibo_post(
    client, department, people, accounts, sandbox
):
    page, jobs = released(department, people, accounts)
    drain()
    article_url = SyndicationJob.objects.get(pk=jobs["wechat"].pk).remote_url
    assert requests.get(article_url, timeout=5).status_code == 200
    page.unpublish()
    withdrawal = SyndicationJob.objects.get(page=page, action=JobAction.WITHDRAW)
    assert withdrawal.channel == "wechat"
    drain()
    withdrawal.refresh_from_db()
    assert withdrawal.state == JobState.DELETED
    assert requests.get(article_url, timeout=5).status_code == 410  # 该内容已被发布者删除
    weibo = SyndicationJob.objects.get(pk=jobs["weibo"].pk)
    assert weibo.state == JobState.PUBLISHED and "微博没有删除接口" in weibo.manual_action
    assert not SyndicationJob.objects.filter(page=page, action=JobAction.WITHDRAW, channel="weibo").exists()
    # The editor removes it by hand and says so.
    client.force_login(people["editor"])
    client.post(f"/admin/syndication/jobs/{weibo.pk}/manual-done/")
    weibo.refresh_from_db()
    assert weibo.manual_done_at is not None


@pytest.mark.django_db
def test_a_page_withdrawn_before_its_job_ran_is_not_pushed(department, people, accounts, sandbox):
    page, jobs = released(department, people, accounts)
    page.unpublish()
    drain()
    assert {job.state for job in SyndicationJob.objects.filter(page=page)} == {JobState.CANCELLED}
    assert sandbox.calls == []


@pytest.mark.django_db
@pytest.mark.parametrize("policy", [RepublishPolicy.NONE, RepublishPolicy.NEW_POST])
def test_republishing_an_edited_page_follows_the_account_policy(
    policy, department, people, accounts, sandbox
):
    type(accounts["wechat"]).objects.filter(pk__in=[a.pk for a in accounts.values()]).update(
        republish_policy=policy
    )
    page, _jobs = released(department, people, accounts)
    drain()
    edited = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    edited.body += "<p>（更正：会议时间为6月18日上午。）</p>"
    edited.save_revision(user=people["editor"])
    release_through_gate(edited, people)
    drain()
    second = SyndicationJob.objects.filter(page=page, action=JobAction.PUBLISH).order_by("-pk")[:2]
    if policy == RepublishPolicy.NONE:
        assert {job.state for job in second} == {JobState.SKIPPED}
        assert article_count(sandbox, link_of(page)) == 1 and post_count(sandbox, link_of(page)) == 1
    else:
        assert {job.state for job in second} == {JobState.PUBLISHED}
        assert article_count(sandbox, link_of(page)) == 2 and post_count(sandbox, link_of(page)) == 2


# Secrets ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_secrets_and_tokens_never_reach_a_log_or_a_stored_message(
    department, people, accounts, sandbox, caplog, settings
):
    settings.SYNDICATION_HTTP_TIMEOUT = (2.0, 0.4)
    sandbox.faults.add("/cgi-bin/draft/add", "expire_token")
    sandbox.faults.add("/cgi-bin/freepublish/submit", "slow_after", delay=0.8)
    sandbox.faults.add("/cgi-bin/media/uploadimg", "drop_after")
    image = factories.make_image("运河宿迁段", size=(800, 600))
    with caplog.at_level(logging.DEBUG):
        page = factories.make_item(
            department,
            category="gzdt",
            live=False,
            title="京杭运河宿迁段绿色现代航运示范区建设",
            body=f'<p>示范区建设全面启动。</p><embed embedtype="image" id="{image.pk}" format="fullwidth" alt="运河"/>',
        )
        opt_in(page, wechat=accounts["wechat"], weibo=accounts["weibo"])
        release_through_gate(page, people)
        drain()
    tokens = [token for app in sandbox.wechat.apps.values() for token in app.tokens] + [
        accounts["weibo"].weibo_access_token
    ]
    secrets = list(SECRETS.values()) + tokens
    logged = "\n".join(f"{r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    stored = " ".join(
        f"{job.last_error} {job.history} {job.remote}" for job in SyndicationJob.objects.filter(page=page)
    )
    for secret in secrets:
        assert secret not in logged and secret not in stored
    assert SyndicationJob.objects.filter(page=page, state=JobState.PUBLISHED).count() == 2


@override_settings()
def test_the_celery_settings_make_redelivery_safe(settings):
    from cms.celery import app
    from syndication.checks import syndication_timing

    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.amqp.router.route({}, "syndication.run_job")["queue"].name == "syndication"
    assert syndication_timing(None) == []
    settings.SYNDICATION_MAX_COUNTDOWN = 7200  # above Redis' default visibility timeout
    assert [e.id for e in syndication_timing(None)] == ["syndication.E001"]


# Told once -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_weibo_authorisation_about_to_expire_is_announced_once(accounts, admin_user, mailoutbox):
    from syndication.notify import expiring_tokens

    admin_user.email = "admin@jtj.suqian.gov.cn"
    admin_user.save()
    accounts["weibo"].weibo_token_expires_at = timezone.now() + timezone.timedelta(days=2)
    accounts["weibo"].save()
    assert expiring_tokens() == 1
    assert expiring_tokens() == 0  # the next hourly run says nothing new
    (message,) = [m for m in mailoutbox if "授权即将到期" in m.subject]
    assert message.to == ["admin@jtj.suqian.gov.cn"] and "重新授权" in message.body


@pytest.mark.django_db
def test_a_job_waiting_far_too_long_for_wechat_tells_its_editors_once(
    department, people, accounts, sandbox, settings, mailoutbox
):
    from syndication.notify import stuck_jobs

    people["editor"].email = "bgs_editor@jtj.suqian.gov.cn"
    people["editor"].save()
    settings.SYNDICATION_POLL_SECONDS = [3600]
    page, jobs = released(department, people, accounts, channels=("wechat",))
    run_job(jobs["wechat"].pk)
    assert SyndicationJob.objects.get(pk=jobs["wechat"].pk).state == JobState.SUBMITTED
    SyndicationJob.objects.filter(pk=jobs["wechat"].pk).update(
        created_at=timezone.now() - timezone.timedelta(hours=1)
    )
    assert stuck_jobs() == 1 and stuck_jobs() == 0
    (message,) = [m for m in mailoutbox if "长时间未完成" in m.subject]
    assert "bgs_editor@jtj.suqian.gov.cn" in message.to
