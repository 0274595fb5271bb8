"""Each error class of newmedia-apis.md §6 against the sandbox: what the job does, what the platform ends up with."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from syndication.engine import run_job
from syndication.models import AccountStatus, JobState, SyndicationJob

from .conftest import article_count, drain, post_count, released

pytestmark = pytest.mark.django_db


def link_of(page):
    return "https://jtj.suqian.gov.cn" + page.url


def job_of(job):
    return SyndicationJob.objects.get(pk=job.pk)


def test_transient_errors_are_retried_with_backoff(department, people, accounts, sandbox):
    sandbox.faults.add("/cgi-bin/draft/add", "error", code=-1, times=2)
    sandbox.faults.add("/cgi-bin/freepublish/get", "http_500", times=1)
    sandbox.faults.add("/2/statuses/share.json", "error", code=10001, times=1)
    page, jobs = released(department, people, accounts)
    drain()
    wechat, weibo = job_of(jobs["wechat"]), job_of(jobs["weibo"])
    assert wechat.state == weibo.state == JobState.PUBLISHED
    assert [h["code"] for h in wechat.history if h["outcome"] == "transient"] == ["-1", "-1", "HTTP 500"]
    assert article_count(sandbox, link_of(page)) == 1 and post_count(sandbox, link_of(page)) == 1
    assert sandbox.count("/cgi-bin/draft/add") == 3  # two refusals, one draft


def test_a_platform_that_cannot_be_reached_is_retried_then_fails_visibly(
    department, people, accounts, settings
):
    settings.SYNDICATION_WEIBO_API_BASE = "http://127.0.0.1:9"  # nothing listens: the request never leaves
    settings.SYNDICATION_MAX_ATTEMPTS = 3
    page, jobs = released(department, people, accounts, channels=("weibo",))
    drain()
    job = job_of(jobs["weibo"])
    assert job.state == JobState.FAILED and job.attempts == 3
    assert job.last_error.startswith("多次重试仍未成功：无法连接平台接口")
    assert job.in_flight == ""  # a connection that was never made is not an unknown outcome


def test_quota_waits_for_the_window(department, people, accounts, sandbox, settings):
    settings.SYNDICATION_QUOTA_WAIT = {}  # the real windows
    sandbox.faults.add("/cgi-bin/freepublish/submit", "error", code=45009)
    page, jobs = released(department, people, accounts, channels=("wechat",))
    before = timezone.now()
    run_job(jobs["wechat"].pk)
    job = job_of(jobs["wechat"])
    assert job.state == JobState.WAITING and job.in_flight == ""
    assert "今日上限" in job.last_error
    resume = timezone.localtime(job.next_attempt_at)
    assert resume.date() == (timezone.localtime(before) + datetime.timedelta(days=1)).date()
    assert datetime.time(0, 5) <= resume.time() <= datetime.time(0, 10)
    # Longer than any countdown: the dispatcher, not a held message, picks it up then.
    assert (job.next_attempt_at - before).total_seconds() > settings.SYNDICATION_MAX_COUNTDOWN
    settings.SYNDICATION_QUOTA_WAIT = {"minute": 0.3}
    sandbox.faults.add("/cgi-bin/freepublish/submit", "error", code=45011)
    SyndicationJob.objects.filter(pk=job.pk).update(next_attempt_at=timezone.now())
    drain()
    job = job_of(job)
    assert job.state == JobState.PUBLISHED
    assert [h["code"] for h in job.history if h["outcome"] == "quota"] == ["45009", "45011"]
    assert article_count(sandbox, link_of(page)) == 1


def test_an_expired_token_is_refreshed_once_and_the_call_repeated(department, people, accounts, sandbox):
    sandbox.faults.add("/cgi-bin/draft/add", "expire_token")
    page, jobs = released(department, people, accounts, channels=("wechat",))
    drain()
    assert job_of(jobs["wechat"]).state == JobState.PUBLISHED
    assert sandbox.count("/cgi-bin/stable_token") == 2  # the first token, one refresh
    assert sandbox.count("/cgi-bin/draft/add") == 2  # rejected with 42001, then accepted
    assert len(sandbox.wechat.drafts) == 0 and article_count(sandbox, link_of(page)) == 1


def test_weibo_token_expiry_holds_the_account_tells_its_managers_once_and_resumes_after_reauthorisation(
    client, department, people, accounts, sandbox, admin_user
):
    admin_user.email = "admin@jtj.suqian.gov.cn"
    admin_user.save()
    sandbox.weibo.expire(accounts["weibo"].weibo_access_token)
    first, jobs1 = released(
        department, people, accounts, channels=("weibo",), title="关于2019年端午节假期道路运输安全的提示"
    )
    second, jobs2 = released(
        department, people, accounts, channels=("weibo",), title="宿迁至南京城际公交开通运营"
    )
    drain()
    held = [job_of(jobs1["weibo"]), job_of(jobs2["weibo"])]
    assert [job.state for job in held] == [JobState.HELD, JobState.HELD]
    account = type(accounts["weibo"]).objects.get(pk=accounts["weibo"].pk)
    assert account.status == AccountStatus.NEEDS_REAUTH
    reauth_mails = [m for m in mail.outbox if "微博" in m.subject and "重新授权" in m.subject]
    assert len(reauth_mails) == 1 and reauth_mails[0].to == ["admin@jtj.suqian.gov.cn"]
    assert sandbox.count("/2/statuses/share.json") == 1  # the second job did not even try

    # The administrator re-runs OAuth from the account page; the sandbox approves at once.
    sandbox.weibo.auto_approve = True
    client.force_login(admin_user)
    authorize = client.get(f"/admin/syndication/accounts/{account.pk}/weibo/authorize/")
    assert authorize.status_code == 302 and authorize.url.startswith(sandbox.url + "/oauth2/authorize?")
    import requests

    consent = requests.get(authorize.url, allow_redirects=False, timeout=5)
    assert consent.status_code == 302
    callback = consent.headers["Location"].replace("http://testserver", "")
    done = client.get(callback, follow=True)
    assert "已授权" in done.content.decode()
    account.refresh_from_db()
    assert account.status == AccountStatus.OK and account.weibo_authorized
    drain()
    assert [job_of(job).state for job in held] == [JobState.PUBLISHED, JobState.PUBLISHED]
    assert post_count(sandbox, link_of(first)) == 1 and post_count(sandbox, link_of(second)) == 1


def test_content_refused_by_the_platform_fails_with_a_reason_and_tells_the_editors_once(
    client, department, people, accounts, sandbox
):
    people["editor"].email = "bgs_editor@jtj.suqian.gov.cn"
    people["editor"].save()
    sandbox.faults.add("/cgi-bin/draft/add", "error", code=45166)
    page, jobs = released(department, people, accounts, channels=("wechat",))
    drain()
    job = job_of(jobs["wechat"])
    assert job.state == JobState.FAILED and job.last_error.startswith("微信判定正文内容不合规")
    failed_mails = [m for m in mail.outbox if "推送失败" in m.subject]
    assert len(failed_mails) == 1 and "bgs_editor@jtj.suqian.gov.cn" in failed_mails[0].to
    assert job.attempts == 0  # no blind retries of refused content

    # The editor's safe retry from the job page: it resumes (the cover is not uploaded again).
    client.force_login(people["editor"])
    response = client.post(f"/admin/syndication/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    drain()
    job = job_of(job)
    assert job.state == JobState.PUBLISHED
    assert sandbox.count("/cgi-bin/material/add_material") == 1
    assert article_count(sandbox, link_of(page)) == 1


def test_a_submit_whose_answer_is_lost_is_reconciled_not_repeated(department, people, accounts, sandbox):
    sandbox.faults.add("/cgi-bin/freepublish/submit", "drop_after")
    page, jobs = released(department, people, accounts, channels=("wechat",))
    run_job(jobs["wechat"].pk)
    job = job_of(jobs["wechat"])
    assert job.state == JobState.RECONCILING and job.in_flight == "submit"
    assert "连接中断" in job.last_error
    drain()
    job = job_of(job)
    assert job.state == JobState.PUBLISHED and job.remote_url
    assert sandbox.count("/cgi-bin/freepublish/submit") == 1
    assert article_count(sandbox, link_of(page)) == 1


def test_a_draft_whose_answer_timed_out_is_found_and_adopted(department, people, accounts, sandbox, settings):
    settings.SYNDICATION_HTTP_TIMEOUT = (2.0, 0.5)
    sandbox.faults.add("/cgi-bin/draft/add", "slow_after", delay=1.0)
    page, jobs = released(department, people, accounts, channels=("wechat",))
    drain()
    job = job_of(jobs["wechat"])
    assert job.state == JobState.PUBLISHED
    assert sandbox.count("/cgi-bin/draft/add") == 1
    assert any(h["step"] == "draft" and h["outcome"] == "reconciled" for h in job.history)
    assert article_count(sandbox, link_of(page)) == 1


def test_a_submit_that_never_arrived_is_made_once_it_is_known_not_to_have_happened(
    department, people, accounts, sandbox
):
    page, jobs = released(department, people, accounts, channels=("wechat",))
    job = jobs["wechat"]
    run_job(job.pk)  # draft created, submitted, waiting for the result
    assert job_of(job).state == JobState.SUBMITTED
    # Simulate a worker that died after marking the submit but before the request went out.
    second_page, second_jobs = released(
        department, people, accounts, channels=("wechat",), title="宿迁市2019年农村公路提档升级工程开工"
    )
    other = second_jobs["wechat"]
    sandbox.faults.add("/cgi-bin/freepublish/submit", "http_500")  # refused before acting: the draft stays
    run_job(other.pk)
    other = job_of(other)
    assert other.state == JobState.WAITING and other.in_flight == ""
    drain()
    assert job_of(other).state == JobState.PUBLISHED and article_count(sandbox, link_of(second_page)) == 1


def test_weibo_server_slow_20032_is_reconciled_through_the_timeline(department, people, accounts, sandbox):
    sandbox.faults.add("/2/statuses/share.json", "slow_success", delay=0.6)
    page, jobs = released(department, people, accounts, channels=("weibo",))
    run_job(jobs["weibo"].pk)
    job = job_of(jobs["weibo"])
    assert job.state == JobState.RECONCILING and job.last_error_code == "20032"
    drain()
    job = job_of(job)
    assert job.state == JobState.PUBLISHED and job.remote_id
    assert sandbox.count("/2/statuses/share.json") == 1
    assert post_count(sandbox, link_of(page)) == 1


def test_a_weibo_share_that_did_not_land_is_posted_again_after_the_window(
    department, people, accounts, sandbox, settings
):
    settings.SYNDICATION_HTTP_TIMEOUT = (2.0, 0.4)
    # The request times out, and the platform never acted (its late answer is a 500 the client never reads).
    sandbox.faults.add("/2/statuses/share.json", "http_500", delay=0.8)
    page, jobs = released(department, people, accounts, channels=("weibo",))
    drain()
    job = job_of(jobs["weibo"])
    assert job.state == JobState.PUBLISHED
    assert any(h.get("detail") == "absent after window" for h in job.history)
    assert sandbox.count("/2/statuses/share.json") == 2 and post_count(sandbox, link_of(page)) == 1


def test_a_weibo_share_that_landed_while_the_client_timed_out_is_not_posted_twice(
    department, people, accounts, sandbox, settings
):
    settings.SYNDICATION_HTTP_TIMEOUT = (2.0, 0.4)
    sandbox.faults.add(
        "/2/statuses/share.json", "slow_before", delay=0.8
    )  # the platform acts after the timeout
    page, jobs = released(department, people, accounts, channels=("weibo",))
    drain()
    assert job_of(jobs["weibo"]).state == JobState.PUBLISHED
    assert sandbox.count("/2/statuses/share.json") == 1 and post_count(sandbox, link_of(page)) == 1


def test_weibo_duplicate_answer_is_checked_against_the_timeline(department, people, accounts, sandbox):
    sandbox.faults.add("/2/statuses/share.json", "drop_after")
    page, jobs = released(department, people, accounts, channels=("weibo",))
    run_job(jobs["weibo"].pk)
    assert job_of(jobs["weibo"]).state == JobState.RECONCILING
    drain()
    assert job_of(jobs["weibo"]).state == JobState.PUBLISHED
    assert sandbox.count("/2/statuses/share.json") == 1 and post_count(sandbox, link_of(page)) == 1


def test_publish_review_failure_is_a_readable_failure(department, people, accounts, sandbox):
    sandbox.faults.add("/cgi-bin/freepublish/submit", "review_fail", code=4)
    page, jobs = released(department, people, accounts, channels=("wechat",))
    drain()
    job = job_of(jobs["wechat"])
    assert job.state == JobState.FAILED and job.last_error == "文章未通过微信平台审核，未发布"
    assert article_count(sandbox, link_of(page)) == 0


def test_mass_send_uses_clientmsgid_so_a_lost_answer_sends_once(department, people, accounts, sandbox):
    sandbox.faults.add("/cgi-bin/message/mass/sendall", "drop_after")
    page, jobs = released(department, people, accounts, channels=("wechat",), mass_send=True)
    drain()
    job = job_of(jobs["wechat"])
    assert job.state == JobState.PUBLISHED and job.remote["msg_id"]
    assert (
        sandbox.count("/cgi-bin/message/mass/sendall") == 2
    )  # the lost answer, then 45065 with the same msg_id
    assert len(sandbox.wechat.mass_messages) == 1
    assert sandbox.count("/cgi-bin/freepublish/submit") == 0  # mass send instead of publish
