"""Demo new media: the bureau's WeChat official account and Weibo account, the 执法支队's own WeChat account, and
two news items that went through the whole review gate opted into them, so that `dev.py run` shows the pipeline
end to end against the sandbox (the worker pushes them as soon as it starts).

The accounts' secrets come from the environment (`cms/settings/dev.py` generates them into var/); the Weibo
account is pre-authorised, as when the app's own developer authorises it (a five-year token), and the sandbox
learns that token from the database when it starts.
"""

import datetime
import io
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from cms.departments.models import DepartmentPage
from cms.disclosure.models import DisclosureItemPage
from syndication.models import Account, Channel, RepublishPolicy, WeChatTarget, WeiboTarget

from .loader import draft_item

ITEMS = [
    {
        "key": "2019-zwgk-tjh-xmt",
        "department": "bgs",
        "title": "市交通运输局召开2019年政务公开工作推进会",
        "category": "gzdt",
        "genre": "xw",
        "keywords": "政务公开,推进会,新媒体",
        "summary": "部署2019年政务公开重点任务，推动交通政务信息向移动端集聚。",
        "body": [
            "6月18日，市交通运输局召开2019年政务公开工作推进会，传达学习《宿迁市2019年政务公开工作要点》，"
            "部署全局政务公开重点任务。",
            "会议要求，各单位要严格落实网络意识形态责任制，加强政府网站内容建设和信息发布审核，把好政治关、政策关、文字关。",
            "会议强调，要推动政务新媒体有序发展，进一步优化完善局属政务新媒体功能，推动更多优质交通政务信息和服务资源"
            "向移动端集聚，为企业群众提供更加便捷贴心的移动服务。",
        ],
        "wechat": {
            "title": "市交通运输局召开2019年政务公开工作推进会",
            "digest": "把好政治关、政策关、文字关，推动交通政务信息向移动端集聚",
        },
        "weibo": "【宿迁交通】市交通运输局召开2019年政务公开工作推进会，部署全年政务公开重点任务。",
    },
    {
        "key": "2019-zfzd-ajcx-sx",
        "department": "zfzd",
        "title": "行政执法案件办理进度实现网上实时查询",
        "category": "gzdt",
        "genre": "xw",
        "keywords": "行政执法,案件查询,执法公示",
        "summary": "执法支队依托门户网站推动执法进度信息实时查询。",
        "body": [
            "为严格落实行政执法公示制度，市交通运输综合行政执法支队依托局门户网站，集中公开行政执法职责、执法依据、"
            "执法标准、执法程序、监督途径等基本信息和执法结果信息。",
            "当事人可通过案件编号和查询码，实时查询案件受理、调查、告知、决定、执行、结案等办理进度。",
        ],
        "wechat": {
            "title": "执法案件办理进度可网上实时查询",
            "digest": "输入案件编号和查询码，随时查看办理进度",
        },
        "weibo": "",
    },
]


def cover_image(title, colors):
    """A 900×383 cover (2.35:1, WeChat's list view) in the bureau's blues; generated, so no file is committed."""
    existing = get_image_model().objects.filter(title=title).first()
    if existing:
        return existing
    image = PILImage.new("RGB", (900, 383), colors[0])
    draw = ImageDraw.Draw(image)
    for n in range(12):  # road lanes converging, a transport motif
        draw.line([(450, 120), (n * 82, 383)], fill=colors[1], width=6)
    draw.rectangle([0, 0, 900, 60], fill=colors[1])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    record = get_image_model()(title=title)
    record.file.save(f"{title}.jpg", ImageFile(buffer, name=f"{title}.jpg"), save=False)
    record._set_image_file_metadata()
    record.save()
    return record


def load_new_media(loader):
    departments = {d.slug: d for d in DepartmentPage.objects.filter(slug__in=["bgs", "zfzd"])}
    accounts = {
        "wechat": account(
            Channel.WECHAT,
            "wx8c5e3a7d1f2b4690",
            name="宿迁交通",
            secret_name="SQJT_WECHAT",
            default_author="宿迁交通",
            default_cover=cover_image("宿迁交通公众号默认封面", ((14, 76, 146), (46, 125, 214))),
            republish_policy=RepublishPolicy.NONE,
        ),
        "zfzd": account(
            Channel.WECHAT,
            "wx1d7f9e2c3b5a8046",
            name="宿迁交通运输执法",
            secret_name="ZFZD_WECHAT",
            department=departments.get("zfzd"),
            default_author="执法支队",
            default_cover=cover_image("宿迁交通运输执法公众号默认封面", ((24, 62, 98), (60, 110, 160))),
        ),
        "weibo": account(
            Channel.WEIBO,
            "3210987654",
            name="宿迁交通",
            secret_name="SQJT_WEIBO",
            safe_domain=(urlsplit(settings.SYNDICATION_PUBLIC_BASE_URL).hostname or "127.0.0.1"),
        ),
    }
    weibo = accounts["weibo"]
    if not weibo.weibo_access_token:
        weibo.weibo_uid = "5713400001"
        weibo.weibo_access_token = secrets.token_urlsafe(24)
        weibo.weibo_token_expires_at = timezone.now() + datetime.timedelta(days=5 * 365)
        weibo.save(update_fields=["weibo_uid", "weibo_access_token", "weibo_token_expires_at"])
    for data in ITEMS:
        department = departments.get(data["department"])
        if department is None or department.get_children().filter(slug=data["key"]).exists():
            continue
        release_demo_item(loader, department, data, accounts)


def account(channel, app_id, **fields):
    existing = Account.objects.filter(channel=channel, app_id=app_id).first()
    return existing or Account.objects.create(channel=channel, app_id=app_id, **fields)


def release_demo_item(loader, department, data, accounts):
    """Draft → 新媒体 tab → submitted by the unit's editor → approved by the three reviewers → live; the gate's
    release writes the outbox rows the worker will push."""
    User = get_user_model()
    editor = User.objects.get(username=f"{data['department']}_editor")
    page = draft_item(data, owner=editor)
    page.summary = data["summary"]
    department.add_child(instance=page)
    channel_account = accounts["zfzd"] if data["department"] == "zfzd" else accounts["wechat"]
    page.wechat_targets.add(WeChatTarget(account=channel_account, **data["wechat"]))
    if data["weibo"]:
        page.weibo_targets.add(WeiboTarget(account=accounts["weibo"], text=data["weibo"]))
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    for username in (f"{data['department']}_reviewer", "policy_reviewer", "text_reviewer"):
        state = DisclosureItemPage.objects.get(pk=page.pk).current_workflow_task_state
        state.task.specific.on_action(state, User.objects.get(username=username), "approve")
    loader.report.add(page)
