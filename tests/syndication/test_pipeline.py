"""From the review gate's release to a WeChat article and a Weibo post in the sandbox, over real HTTP."""

import pytest
import requests
from django.db import transaction

from cms.review.gate import approve_stage, bypass
from cms.review.models import GateRelease
from syndication.models import JobState, SyndicationJob
from tests import factories

from .conftest import draft_news, drain, opt_in, release_through_gate

pytestmark = pytest.mark.django_db


def test_an_approved_page_is_posted_once_to_each_account(department, people, accounts, sandbox):
    page = draft_news(department, user=people["editor"])
    opt_in(
        page,
        wechat=accounts["wechat"],
        weibo=accounts["weibo"],
        text="市交通运输局部署2019年政务公开重点任务",
    )
    page = release_through_gate(page, people)

    release = GateRelease.objects.get(page=page)
    jobs = {job.channel: job for job in SyndicationJob.objects.filter(release=release)}
    assert set(jobs) == {"wechat", "weibo"}
    assert all(
        job.state == JobState.PENDING and job.revision_id == page.live_revision_id for job in jobs.values()
    )

    drain()

    wechat, weibo = (SyndicationJob.objects.get(pk=jobs[c].pk) for c in ("wechat", "weibo"))
    assert wechat.state == JobState.PUBLISHED, wechat.last_error
    assert weibo.state == JobState.PUBLISHED, weibo.last_error
    link = "https://jtj.suqian.gov.cn" + page.url
    articles = [a for a in sandbox.wechat.articles.values() if a["articles"][0]["content_source_url"] == link]
    assert len(articles) == 1
    assert articles[0]["articles"][0]["title"] == page.title
    posts = [s for s in sandbox.weibo.statuses if link in s["text"]]
    assert len(posts) == 1 and posts[0]["text"].startswith("市交通运输局部署2019年政务公开重点任务")
    # A mobile reader opens both from the links the jobs stored.
    article_view = requests.get(wechat.remote_url, timeout=5)
    assert article_view.status_code == 200 and page.title in article_view.text
    weibo_view = requests.get(weibo.remote_url, timeout=5)
    assert weibo_view.status_code == 200 and link in weibo_view.text


def test_a_page_published_without_review_is_never_pushed(department, accounts, sandbox):
    page = draft_news(department, title="历史信息导入：2018年交通运输工作总结")
    opt_in(page, wechat=accounts["wechat"], weibo=accounts["weibo"])
    page = type(page).objects.get(pk=page.pk)
    with bypass("历史信息导入", user=None):
        page.get_latest_revision().publish()
    page.refresh_from_db()
    assert page.live
    assert not GateRelease.objects.filter(page=page).exists()
    assert not SyndicationJob.objects.filter(page=page).exists()
    drain()
    assert sandbox.calls == []


def test_approving_the_same_revision_twice_makes_one_job_per_account(department, people, accounts):
    page = draft_news(department, user=people["editor"])
    opt_in(page, wechat=accounts["wechat"])
    page = release_through_gate(page, people)
    release = GateRelease.objects.get(page=page)
    from syndication.outbox import create_jobs

    with transaction.atomic():
        assert create_jobs(release) == []  # the release is recorded again: nothing new
    assert SyndicationJob.objects.filter(page=page).count() == 1


def test_a_page_without_new_media_targets_makes_no_job(department, people, accounts):
    page = release_through_gate(draft_news(department, user=people["editor"]), people)
    assert GateRelease.objects.filter(page=page).exists()
    assert not SyndicationJob.objects.filter(page=page).exists()


def test_body_images_are_rehosted_and_the_html_is_wechat_safe(department, people, accounts, sandbox):
    image = factories.make_image("宿迁港中心港区", size=(1600, 900))
    body = (
        f'<p>宿迁港中心港区一期工程建成投用。</p><embed embedtype="image" id="{image.pk}" format="fullwidth" alt="港区全景"/>'
        '<p>详见<a href="https://www.example.com/report">项目报告</a>和'
        '<a href="https://mp.weixin.qq.com/s/abc123">往期报道</a>。</p>'
    )
    page = draft_news(department, user=people["editor"], title="宿迁港中心港区一期工程建成投用", body=body)
    opt_in(page, wechat=accounts["wechat"])
    release_through_gate(page, people)
    drain()
    job = SyndicationJob.objects.get(page=page)
    assert job.state == JobState.PUBLISHED, job.last_error
    content = next(iter(sandbox.wechat.articles.values()))["articles"][0]["content"]
    assert sandbox.wechat.filtered_images == []  # every <img> came from uploadimg
    assert f"{sandbox.url}/mmbiz/" in content and 'alt="港区全景"' in content
    assert "example.com" not in content and "项目报告" in content  # the link went, its text stayed
    assert 'href="https://mp.weixin.qq.com/s/abc123"' in content
    assert "class=" not in content and "style=" in content


def test_the_gate_checks_the_new_media_texts_too(department, people, accounts, sandbox):
    """A sensitive word in the Weibo text sends the page back like one in the body (the automated check)."""
    from cms.review.models import TermRule

    TermRule.objects.create(kind="sensitive", term="稳赚不赔")
    page = draft_news(department, user=people["editor"], title="宿迁市道路运输企业安全生产培训班开班")
    opt_in(page, weibo=accounts["weibo"], text="运输企业安全培训开班，稳赚不赔")
    page = type(page).objects.get(pk=page.pk)
    page.get_workflow().start(page, people["editor"])
    state = type(page).objects.get(pk=page.pk).current_workflow_state
    assert state.status == "needs_changes"
    rejected = state.task_states.get(status="rejected")
    assert "微博推送1·微博正文" in rejected.comment and "稳赚不赔" in rejected.comment
    assert not SyndicationJob.objects.filter(page=page).exists()


@pytest.mark.django_db(transaction=True)
def test_an_emergency_release_goes_out_ahead_of_the_posts_waiting_before_it(
    department, people, accounts, sandbox, monkeypatch
):
    """The incident page's jobs take the urgent queue: a worker serving only that queue posts the incident while
    the news released before it are still waiting on theirs, and the dispatcher sends urgent jobs first."""
    from cms.participation.models import EmergencyIncidentPage
    from syndication import engine, tasks
    from tests.participation.conftest import make_incident
    from tests.workers import running_worker

    from .conftest import wait_for

    with running_worker(queues=["syndication_urgent"]):  # (it first drops messages earlier tests left)
        backlog = []
        for n in range(2):
            page = draft_news(
                department, title=f"宿迁市交通运输局2019年第{n + 1}季度政务公开工作通报", slug=f"tb-{n}"
            )
            opt_in(page, weibo=accounts["weibo"], text=f"第{n + 1}季度政务公开工作通报")
            backlog.append(release_through_gate(page, people))

        incident = make_incident(department)
        opt_in(incident, weibo=accounts["weibo"], text="京杭运河宿迁段船舶碰撞事故通报：搜救工作正在进行")
        EmergencyIncidentPage.objects.get(pk=incident.pk).get_workflow().start(incident, people["editor"])
        while (
            state := EmergencyIncidentPage.objects.get(pk=incident.pk).current_workflow_task_state
        ) is not None:
            approve_stage(state.task.specific, state, people["political"], comment="同意发布")
        assert EmergencyIncidentPage.objects.get(pk=incident.pk).live

        urgent = SyndicationJob.objects.get(page=incident)
        waiting = SyndicationJob.objects.filter(page__in=backlog)
        assert urgent.urgent and not waiting.filter(urgent=True).exists()
        wait_for(
            lambda: SyndicationJob.objects.get(pk=urgent.pk).state == JobState.PUBLISHED,
            30,
            "the incident's Weibo post",
        )
    assert [s["text"] for s in sandbox.weibo.statuses if "船舶碰撞" in s["text"]]
    assert set(waiting.values_list("state", flat=True)) == {JobState.PENDING}
    assert not [s for s in sandbox.weibo.statuses if "政务公开工作通报" in s["text"]]

    # The dispatcher's safety net sends urgent jobs first as well.
    sent = []
    monkeypatch.setattr(
        tasks, "enqueue", lambda job_id, urgent=False, countdown=None: sent.append((job_id, urgent))
    )
    SyndicationJob.objects.filter(pk=urgent.pk).update(state=JobState.WAITING, next_attempt_at=None)
    engine.dispatch_due()
    assert sent[0] == (urgent.pk, True)
    assert {pk for pk, _ in sent[1:]} == set(waiting.values_list("pk", flat=True))
