"""The sandbox speaks the platforms' contracts (newmedia-apis.md §1–§3): the same paths, JSON and error codes,
checked here over HTTP with the project's own clients and with raw requests."""

import json

import pytest
import requests

from syndication.clients.wechat import WeChatClient
from syndication.clients.weibo import WeiboClient
from syndication.errors import ApiError, Kind
from syndication.sandbox import Sandbox


@pytest.fixture
def box():
    with Sandbox(publish_seconds=0.0) as sandbox:
        sandbox.wechat.register("wxapp", "wx-secret")
        sandbox.weibo.register_app("wbapp", "wb-secret", safe_domains=["jtj.suqian.gov.cn"])
        sandbox.weibo.user("5000000009", "宿迁交通")
        yield sandbox


def error_of(call):
    with pytest.raises(ApiError) as caught:
        call()
    return caught.value


def jpeg(size=(600, 400)):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 80, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_wechat_tokens_and_their_errors(box):
    client = WeChatClient(base_url=box.url)
    assert error_of(lambda: client.stable_token("nope", "x")).code == 40013
    assert error_of(lambda: client.stable_token("wxapp", "wrong")).code == 40125
    token, ttl = client.stable_token("wxapp", "wx-secret")
    assert 7000 < ttl <= 7200
    assert client.stable_token("wxapp", "wx-secret")[0] == token  # normal mode: the same token
    get = requests.get(f"{box.url}/cgi-bin/stable_token", timeout=5).json()
    assert get["errcode"] == 43002 and " rid: " in get["errmsg"]  # HTTP 200, errcode in the body
    assert error_of(lambda: client.batchget_drafts("forged")).kind is Kind.TOKEN  # 40001
    box.wechat.expire_tokens(token, 0)
    box.wechat.apps["wxapp"].tokens[token] = 1
    expired = error_of(lambda: client.batchget_drafts(token))
    assert (expired.code, expired.kind) == (42001, Kind.TOKEN)


def test_wechat_draft_rules_publish_and_delete(box):
    client = WeChatClient(base_url=box.url)
    token, _ = client.stable_token("wxapp", "wx-secret")
    url = client.upload_image(token, "a.jpg", jpeg(), "image/jpeg")
    assert url.startswith(box.url + "/mmbiz/")
    assert error_of(lambda: client.upload_image(token, "a.gif", b"GIF89a....", "image/gif")).code == 40005
    cover, _ = client.add_material(token, "image", "cover.jpg", jpeg((900, 383)), "image/jpeg")
    article = {
        "title": "宿迁港中心港区一期工程建成投用",
        "content": f'<p>正文</p><img src="{url}">',
        "thumb_media_id": cover,
    }
    assert error_of(lambda: client.add_draft(token, [{**article, "title": "标" * 33}])).code == 45003
    assert (
        error_of(lambda: client.add_draft(token, [{**article, "thumb_media_id": "temporary"}])).code == 40007
    )
    escaped = json.dumps({"articles": [article]}).encode()  # \uXXXX escapes, as json.dumps does by default
    raw = requests.post(
        f"{box.url}/cgi-bin/draft/add", params={"access_token": token}, data=escaped, timeout=5
    )
    assert raw.json()["errcode"] == 47001
    media_id = client.add_draft(
        token, [{**article, "content": article["content"] + '<img src="http://x/y.jpg">'}]
    )
    assert box.wechat.filtered_images == ["http://x/y.jpg"]  # images not from uploadimg are dropped
    publish_id = client.submit(token, media_id)
    assert error_of(lambda: client.submit(token, media_id)).code == 40007  # the draft left the draft box
    assert error_of(lambda: client.get_publish(token, "999")).code == 40002
    result = client.get_publish(token, publish_id)
    assert result["publish_status"] == 0 and result["article_detail"]["item"][0]["article_url"]
    listed = client.batchget_published(token)
    assert listed["total_count"] == 1 and listed["item"][0]["article_id"] == result["article_id"]
    page = requests.get(result["article_detail"]["item"][0]["article_url"], timeout=5)
    assert page.status_code == 200 and "宿迁港中心港区一期工程建成投用" in page.text
    client.delete_published(token, result["article_id"])
    assert error_of(lambda: client.delete_published(token, result["article_id"])).code == 53600


def test_wechat_mass_send_is_deduplicated_by_clientmsgid(box):
    client = WeChatClient(base_url=box.url)
    token, _ = client.stable_token("wxapp", "wx-secret")
    cover, _ = client.add_material(token, "image", "cover.jpg", jpeg(), "image/jpeg")
    draft = client.add_draft(
        token, [{"title": "国庆假期出行提示", "content": "<p>正文</p>", "thumb_media_id": cover}]
    )
    first = client.mass_send_all(token, draft, "key-1")
    assert client.mass_send_all(token, draft, "key-1") == first  # 45065 with the first msg_id
    assert error_of(lambda: client.mass_send_all(token, draft, "k" * 65)).code == 45067
    other = client.add_draft(token, [{"title": "另一条", "content": "<p>正文</p>", "thumb_media_id": cover}])
    assert error_of(lambda: client.mass_send_all(token, other, "key-2")).code == 45028  # one a day


def test_weibo_oauth_share_rules_and_timeline(box):
    client = WeiboClient(base_url=box.url)
    box.weibo.auto_approve = True
    consent = requests.get(
        client.authorize_url("wbapp", "https://portal/cb", "s1"), allow_redirects=False, timeout=5
    )
    code = consent.headers["Location"].split("code=")[1].split("&")[0]
    assert (
        error_of(lambda: client.exchange_code("wbapp", "wb-secret", code, "https://other/cb")).code == 21322
    )
    token = client.exchange_code("wbapp", "wb-secret", code, "https://portal/cb")["access_token"]
    assert (
        error_of(lambda: client.exchange_code("wbapp", "wb-secret", code, "https://portal/cb")).code == 21325
    )
    link = "http://jtj.suqian.gov.cn:8000/jgsz/bgs/item-1/"  # a port does not change the host
    assert error_of(lambda: client.share(token, "没有链接的微博", "127.0.0.1")).code == 10017
    assert error_of(lambda: client.share(token, "交" * 140 + " " + link, "127.0.0.1")).code == 20012
    assert error_of(lambda: client.share(token, "#宿迁交通# " + link, "127.0.0.1")).code == 10008
    status = client.share(
        token, "运河宿迁段航道整治完工 " + link, "127.0.0.1", ("p.jpg", jpeg(), "image/jpeg")
    )
    assert status["idstr"] and status["user"]["screen_name"] == "宿迁交通" and status["original_pic"]
    duplicate = error_of(lambda: client.share(token, "运河宿迁段航道整治完工 " + link, "127.0.0.1"))
    assert (duplicate.code, duplicate.kind) == (20019, Kind.UNKNOWN)
    timeline = client.user_timeline(token, "5000000009", count=100)
    assert [s["idstr"] for s in timeline] == [status["idstr"]]
    box.weibo.expire(token)
    expired = error_of(lambda: client.share(token, "过期 " + link, "127.0.0.1"))
    assert (expired.code, expired.kind) == (21327, Kind.REAUTH)
    assert requests.post(f"{box.url}/2/statuses/update.json", timeout=5).json()["error_code"] == 10014


def test_weibo_hourly_limit_and_the_pipelines_pacing(box, db, settings):
    """The account's own limit keeps the pipeline under the platform's (20016 is only the backstop)."""
    box.weibo.posts_per_hour = 2
    client = WeiboClient(base_url=box.url)
    token = box.weibo.grant_token("wbapp", "5000000009")
    for n in range(2):
        client.share(token, f"第{n}条 https://jtj.suqian.gov.cn/a/{n}/", "127.0.0.1")
    assert (
        error_of(lambda: client.share(token, "第3条 https://jtj.suqian.gov.cn/a/3/", "127.0.0.1")).code
        == 20016
    )


@pytest.mark.django_db
def test_the_pipeline_paces_weibo_posts_to_the_accounts_limit(
    department, people, accounts, sandbox, settings
):
    from syndication.engine import run_job
    from syndication.models import JobState, SyndicationJob

    from .conftest import released

    accounts["weibo"].posts_per_hour = 2
    accounts["weibo"].save()
    jobs = [
        released(department, people, accounts, channels=("weibo",), title=f"公交线路调整公告（{n}）")[1][
            "weibo"
        ]
        for n in range(3)
    ]
    for job in jobs:
        run_job(job.pk)
    states = [SyndicationJob.objects.get(pk=job.pk) for job in jobs]
    assert [job.state for job in states] == [JobState.PUBLISHED, JobState.PUBLISHED, JobState.WAITING]
    assert "每小时 2 条的发布上限" in states[2].last_error
    assert 3500 < (states[2].next_attempt_at - states[0].finished_at).total_seconds() < 3601
    assert sandbox.count("/2/statuses/share.json") == 2  # the third was never sent to be refused


def test_fault_injection_over_http(box):
    created = requests.post(
        f"{box.url}/_sandbox/faults",
        json={"path": "/cgi-bin/stable_token", "kind": "error", "code": -1},
        timeout=5,
    )
    assert created.status_code == 201
    client = WeChatClient(base_url=box.url)
    assert error_of(lambda: client.stable_token("wxapp", "wx-secret")).kind is Kind.TRANSIENT
    assert client.stable_token("wxapp", "wx-secret")[0]  # once only
    bad = requests.post(f"{box.url}/_sandbox/faults", json={"path": "/x", "kind": "nonsense"}, timeout=5)
    assert bad.status_code == 400
