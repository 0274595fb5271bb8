"""The editors' side: the 新媒体 tab (checked against the platforms' rules), phone previews, the job list and page,
safe retry, the accounts page and the dashboard."""

import pytest
from django.urls import reverse

from syndication.models import JobState, SyndicationJob
from tests import factories

from .conftest import drain, released

pytestmark = pytest.mark.django_db


def edit_data(page, **overrides):
    page = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    data = {
        "title": page.title,
        "slug": page.slug,
        "body": factories.draftail(page.body),
        "category": page.category,
        "topic": page.topic,
        "genre": page.genre,
        "validity": page.validity,
        "disclosure_mode": page.disclosure_mode,
        "summary": page.summary,
        "keywords": page.keywords,
        "interpretation_format": page.interpretation_format,
        **factories.empty_inlines(),
    }
    data.update(overrides)
    return data


def target_rows(name, *rows):
    data = {f"{name}-TOTAL_FORMS": str(len(rows)), f"{name}-INITIAL_FORMS": "0"}
    for n, row in enumerate(rows):
        data.update({f"{name}-{n}-{key}": value for key, value in row.items()})
        data[f"{name}-{n}-ORDER"] = str(n)
        data[f"{name}-{n}-id"] = ""
    return data


def post_edit(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def form_errors(response):
    assert response.status_code == 200, "the form was accepted"
    return factories.admin_errors(response)


def test_the_new_media_tab_refuses_what_the_platforms_would_refuse_and_keeps_the_text(
    client, department, people, accounts
):
    page = factories.make_item(
        department,
        live=False,
        title="关于进一步加强全市普通国省干线公路养护管理工作的实施意见（2019年修订版）",
    )
    client.force_login(people["editor"])
    long_text = "市交通运输局召开政务公开推进会，" * 8
    data = edit_data(
        page,
        **target_rows(
            "wechat_targets", {"account": accounts["wechat"].pk, "title": "", "digest": "", "author": ""}
        ),
        **target_rows("weibo_targets", {"account": accounts["weibo"].pk, "text": long_text + " #宿迁交通#"}),
    )
    response = post_edit(client, page, data)
    errors = " ".join(form_errors(response))
    assert "超过 32 字" in errors  # the page title is too long for WeChat: a WeChat title is needed
    assert "超过 140 字" in errors and "#话题#" in errors
    assert long_text in response.content.decode()  # nothing typed is lost
    # Fixed: a short WeChat title and a shorter post. Saved as a draft with its targets in the revision.
    data.update(
        {
            "wechat_targets-0-title": "全市普通国省干线公路养护管理实施意见",
            "weibo_targets-0-text": "市交通运输局印发普通国省干线公路养护管理实施意见",
        }
    )
    response = post_edit(client, page, data)
    assert response.status_code == 302, factories.admin_errors(response)
    draft = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [t.title for t in draft.wechat_targets.all()] == ["全市普通国省干线公路养护管理实施意见"]
    assert [t.account_id for t in draft.weibo_targets.all()] == [accounts["weibo"].pk]
    # Edited again, the saved rows come back as existing inline forms; submitting for review keeps them.
    (wechat,), (weibo,) = draft.wechat_targets.all(), draft.weibo_targets.all()
    data.update(
        {
            "wechat_targets-INITIAL_FORMS": "1",
            "wechat_targets-0-id": str(wechat.pk),
            "weibo_targets-INITIAL_FORMS": "1",
            "weibo_targets-0-id": str(weibo.pk),
            "action-submit": "1",
        }
    )
    response = post_edit(client, page, data)
    assert response.status_code == 302, factories.admin_errors(response)
    submitted = type(page).objects.get(pk=page.pk)
    assert submitted.current_workflow_state is not None
    assert [t.title for t in submitted.get_latest_revision_as_object().wechat_targets.all()] == [wechat.title]


def test_an_account_of_another_department_or_without_safe_domain_is_refused(
    client, department, tree, people, accounts
):
    other = factories.make_department(
        tree["departments"], title="宿迁市交通运输综合行政执法支队", short_name="执法支队"
    )
    accounts["wechat"].department = other
    accounts["wechat"].save()
    accounts["weibo"].safe_domain = "weibo-app.example.com"
    accounts["weibo"].save()
    page = factories.make_item(department, live=False, title="宿迁市开展道路运输安全大检查")
    client.force_login(people["editor"])
    data = edit_data(
        page,
        **target_rows("wechat_targets", {"account": accounts["wechat"].pk}),
        **target_rows(
            "weibo_targets", {"account": accounts["weibo"].pk, "text": "宿迁市开展道路运输安全大检查"}
        ),
    )
    errors = " ".join(form_errors(post_edit(client, page, data)))
    assert "不属于本页面所在的部门" in errors
    assert "不在微博应用的安全域名 weibo-app.example.com 下" in errors


def test_phone_previews_show_each_post_as_it_will_look(client, department, people, accounts):
    image = factories.make_image("运河航道", size=(800, 500))
    body = f'<p>京杭运河宿迁段航道整治工程完工。</p><embed embedtype="image" id="{image.pk}" format="fullwidth" alt="航道"/>'
    page = factories.make_item(department, live=False, title="京杭运河宿迁段航道整治工程完工", body=body)
    client.force_login(people["editor"])
    data = edit_data(
        page,
        **target_rows(
            "wechat_targets", {"account": accounts["wechat"].pk, "digest": "航道整治工程完工，通航条件改善"}
        ),
        **target_rows(
            "weibo_targets", {"account": accounts["weibo"].pk, "text": "京杭运河宿迁段航道整治工程完工"}
        ),
    )
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert client.post(preview_url, data).json()["is_valid"]
    wechat = client.get(preview_url, {"mode": "wechat"}).content.decode()
    assert "京杭运河宿迁段航道整治工程完工" in wechat and "航道整治工程完工，通航条件改善" in wechat
    assert "宿迁交通" in wechat and "阅读原文 → https://jtj.suqian.gov.cn/" in wechat
    assert 'alt="航道"' in wechat and "/media/images/" in wechat  # the body image, as a rendition
    weibo = client.get(preview_url, {"mode": "weibo"}).content.decode()
    assert '京杭运河宿迁段航道整治工程完工 <a href="https://jtj.suqian.gov.cn/jgsz/bgs/' in weibo
    assert "/140" in weibo


def test_editors_see_their_units_jobs_inspect_and_retry_them(
    client, department, tree, people, accounts, sandbox
):
    sandbox.faults.add("/2/statuses/share.json", "error", code=20021)  # 违规内容: a permanent refusal
    page, jobs = released(department, people, accounts)
    drain()
    other = factories.make_department(
        tree["departments"], title="宿迁市港航事业发展中心", short_name="港航中心"
    )
    outsider = factories.make_user("gh_editor", groups=[other.editors_group])

    client.force_login(people["editor"])
    listing = client.get(reverse("syndication_job:index")).content.decode()
    assert page.title in listing and "已发布" in listing and "失败" in listing
    assert "微博判定正文包含违规内容" in listing
    filtered = client.get(reverse("syndication_job:index"), {"state": "failed"}).content.decode()
    assert "微博判定正文包含违规内容" in filtered and "已发布</span>" not in filtered
    weibo = SyndicationJob.objects.get(pk=jobs["weibo"].pk)
    inspect = client.get(reverse("syndication_job:inspect", args=[weibo.pk])).content.decode()
    assert "安全重试" in inspect and "20021" in inspect  # the history shows the platform's code
    assert client.get(reverse("syndication_job:add")).status_code in (302, 403)  # jobs are not made by hand

    client.force_login(outsider)
    assert page.title not in client.get(reverse("syndication_job:index")).content.decode()
    assert client.get(reverse("syndication_job:inspect", args=[weibo.pk])).status_code in (302, 403)
    refused = client.post(reverse("syndication_job_retry", args=[weibo.pk]))
    assert refused.status_code == 403 or refused.url == reverse(
        "wagtailadmin_home"
    )  # Wagtail's way of saying no
    assert SyndicationJob.objects.get(pk=weibo.pk).state == JobState.FAILED

    client.force_login(people["editor"])
    response = client.post(reverse("syndication_job_retry", args=[weibo.pk]), follow=True)
    assert "不会重复发布" in response.content.decode()
    drain()
    assert SyndicationJob.objects.get(pk=weibo.pk).state == JobState.PUBLISHED
    # The page editor's 新媒体 tab shows each account's state and link.
    editor_page = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert (
        "data-syndication-status" in editor_page and "查看文章" in editor_page and "查看微博" in editor_page
    )
    status = client.get(reverse("syndication_page_status", args=[page.pk])).json()
    assert {job["state"] for job in status["jobs"]} == {"published"}


def test_the_dashboard_lists_failures_and_manual_removals(client, department, people, accounts, sandbox):
    sandbox.faults.add("/cgi-bin/freepublish/submit", "review_fail", code=4)
    page, _jobs = released(department, people, accounts)
    drain()
    page.unpublish()  # the Weibo post must now be removed by hand
    client.force_login(people["editor"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "新媒体推送异常（1）" in home and "文章未通过微信平台审核" in home
    assert "需人工处理" in home and "微博没有删除接口" in home


def test_the_accounts_page_shows_credentials_and_authorisation_without_the_secrets(
    client, accounts, admin_user, settings
):
    client.force_login(admin_user)
    wechat = client.get(reverse("syndication_account:edit", args=[accounts["wechat"].pk])).content.decode()
    assert "密钥：已配置" in wechat
    weibo = client.get(reverse("syndication_account:edit", args=[accounts["weibo"].pk])).content.decode()
    assert "微博授权：有效" in weibo and "授权微博账号" in weibo
    for secret in settings.SYNDICATION_SECRETS.values():
        assert secret not in wechat and secret not in weibo
    assert accounts["weibo"].weibo_access_token not in weibo
    settings.SYNDICATION_SECRETS = {}
    missing = client.get(reverse("syndication_account:edit", args=[accounts["wechat"].pk])).content.decode()
    assert "未配置" in missing and "SYNDICATION_SECRET_SQJT_WECHAT" in missing
