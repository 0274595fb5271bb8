"""Builds the bureau's demo site from ``content.py``. Idempotent: whatever already exists is left untouched.

Items are created as drafts and published through Wagtail revisions, oldest first, so their 索引号 are
drawn by the same code path as an editor's publish. Historical 发布日期 come from the data (an import of
items published in 2019–2020).
"""

import datetime
from dataclasses import dataclass, field
from html import escape

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Locale, Site, TaskState

from cms.applications.models import ApplicationPage
from cms.core.models import SiteSettings
from cms.departments.models import DepartmentIndexPage, DepartmentLeader, DepartmentPage
from cms.disclosure.models import (
    CataloguePage,
    ColumnPage,
    DisclosureAttachment,
    DisclosureIndexPage,
    DisclosureItemPage,
)
from cms.disclosure.vocabularies import Category
from cms.review.gate import bypass
from cms.review.setup import POLICY_GROUP, TEXT_GROUP
from home.bootstrap import ensure_home_page
from home.models import (
    SectionEntryLink,
    SectionFeaturedColumn,
    SectionPage,
    StandardPage,
)

from . import content, reform
from .applications import load_applications
from .participation import load_participation
from .search import load_search
from .sector import STRUCTURED, load_sector

PENDING = [
    {
        "key": "2020-yd-ysaq-tz",
        "department": "ysglc",
        "title": "关于做好2020年元旦期间道路运输安全生产工作的通知",
        "category": "tzgg",
        "genre": "tz",
        "keywords": "元旦,道路运输,安全生产",
        "summary": "部署2020年元旦期间道路运输安全生产和应急值守工作。",
        "body": [
            "各县区交通运输局、局属各单位：",
            "2020年元旦将至，为切实做好节日期间道路运输安全生产工作，保障人民群众安全便捷出行，现将有关事项通知如下。",
            "一、压实安全生产责任。各单位要严格落实安全生产责任制，加强对“两客一危”车辆的动态监控。",
            "二、强化应急值守。节日期间严格执行领导带班和24小时值班制度，遇有重大情况及时报告。",
        ],
        "approved_by": ["ysglc_reviewer"],
    },
    {
        "key": "2020-cy-gjxl-gg",
        "department": "ysglc",
        "title": "关于2020年春运期间市区公交线路延时运营的公告",
        "category": "tzgg",
        "genre": "gg",
        "keywords": "春运,公交,延时运营",
        "summary": "春运期间市区部分公交线路延长运营时间。",
        "body": [
            "为方便春运期间市民和返乡旅客出行，经研究，市区1路、2路、10路公交线路运营时间延长至22:30。",
            "执行时间：2020年1月10日至2月18日。",
        ],
        "waiting_days": 6,
    },
]

DEMO_IMPORT_REASON = "演示数据导入：2019—2020年已按纸质三审流程发布的历史信息迁移"

COLUMN_INTROS = {
    Category.POLICY: "本局及各单位制定的规范性文件和其他政策文件。",
    Category.INTERPRETATION: "按照“谁起草、谁解读”的原则，与政策文件同步组织、同步审签、同步部署的解读材料。",
    Category.MAJOR_PROJECTS: "交通重大建设项目批准、实施及进展情况。",
    Category.LAW_ENFORCEMENT: "行政执法职责、依据、标准、程序、监督途径和执法结果信息。",
    Category.PUBLIC_RESOURCES: "交通工程交易公告、资格审查、交易过程、成交及履约信息。",
}


def draft_item(data, owner):
    """An unsaved draft DisclosureItemPage from one entry of the demo data (ITEMS or PENDING)."""
    fields = {
        "slug": data["key"],
        "title": data["title"],
        "live": False,
        "body": paragraphs_html(data["body"]),
        "category": data["category"],
        "genre": data["genre"],
        "document_number": data.get("doc_number", ""),
        "written_date": data.get("written_date"),
        "validity": data.get("validity", "valid"),
        "keywords": data.get("keywords", ""),
        "summary": data.get("summary", ""),
        "disclosure_mode": data.get("disclosure_mode", "active"),
        "search_description": data.get("summary", ""),
        "owner": owner,
    }
    if "topic" in data:
        fields["topic"] = data["topic"]
    if "publish_date" in data:  # historical items: an import keeps the date they were published on
        fields["publish_date"] = local_datetime(data["publish_date"])
    return DisclosureItemPage(**fields)


def paragraphs_html(paragraphs):
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def local_datetime(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@dataclass
class LoadReport:
    created: list = field(default_factory=list)
    accounts: list = field(default_factory=list)

    def add(self, obj):
        self.created.append(obj)


class DemoLoader:
    def __init__(self, password):
        self.password = password
        self.report = LoadReport()

    # Generic helpers -------------------------------------------------------------------------------

    def child(self, parent, model, slug, **fields):
        """The child of ``parent`` with ``slug``; created and published with ``fields`` when missing."""
        existing = parent.get_children().filter(slug=slug).first()
        if existing is not None:
            return existing.specific
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.report.add(page)
        return page

    def user(self, username, *, superuser=False, groups=(), first_name=""):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first_name, is_staff=superuser, is_superuser=superuser)
            user.set_password(self.password)
            user.save()
            self.report.add(user)
        if groups:
            user.groups.add(*[g for g in groups if g is not None])
        self.report.accounts.append((username, first_name))
        return user

    # The site ----------------------------------------------------------------------------------------

    @transaction.atomic
    def load(self):
        Locale.objects.get_or_create(language_code="en")
        home = ensure_home_page()
        self.site_settings(home)
        admin = self.user("admin", superuser=True, first_name="系统管理员")
        # The demo is an import of items the bureau published in 2019–2020 under its paper review process:
        # it goes live as a recorded bypass of the gate, which still runs every automated check on it.
        with bypass(DEMO_IMPORT_REASON, user=admin):
            self._load(home, admin)
        self.load_pending_reviews()
        load_applications(self)
        from .newmedia import load_new_media  # it builds on this module's draft_item

        load_new_media(self)
        load_participation(self)
        load_search(self.report)
        return self.report

    def _load(self, home, admin):
        disclosure = self.child(
            home,
            DisclosureIndexPage,
            "xxgk",
            title="信息公开",
            show_in_menus=True,
            intro="<p>依据《中华人民共和国政府信息公开条例》，宿迁市交通运输局主动公开政府信息，并受理依申请公开。</p>",
        )
        columns, apply_page = self.disclosure_section(disclosure)
        department_index = self.child(
            home,
            DepartmentIndexPage,
            "jgsz",
            title="机构设置",
            show_in_menus=True,
            intro="<p>宿迁市交通运输局内设机构、直属单位及其职责、负责人和联系方式。</p>",
        )
        self.sections(home, columns, apply_page)
        departments = self.departments(department_index)
        self.items(departments, admin)
        load_sector(self, departments, admin)
        reform.load_2019_reform(self, departments, admin)  # the units merged in 2019, through a real merge
        self.reviewers()
        if not home.intro:
            home.intro = "公开透明 · 便民高效：宿迁市交通运输局政府信息公开平台"
            home.save_revision(user=admin).publish(user=admin)
        return self.report

    def load_pending_reviews(self):
        """Drafts waiting in the gate, so 待我审核 and the review statistics have something to show.

        Run outside the import bypass: these go through the real workflow, as an editor's submission would.
        """
        departments = {
            d.slug: d for d in DepartmentPage.objects.filter(slug__in=[p["department"] for p in PENDING])
        }
        User = get_user_model()
        for data in PENDING:
            department = departments.get(data["department"])
            if department is None or department.get_children().filter(slug=data["key"]).exists():
                continue
            editor = User.objects.get(username=f"{data['department']}_editor")
            page = draft_item(data, owner=editor)
            department.add_child(instance=page)
            page.save_revision(user=editor)
            page.get_workflow().start(page, editor)
            for username in data.get("approved_by", []):
                state = DisclosureItemPage.objects.get(pk=page.pk).current_workflow_task_state
                state.specific.task.specific.on_action(state, User.objects.get(username=username), "approve")
            if data.get("waiting_days"):
                # Arrived at its current stage some days ago: shows as past the SLA on the dashboard.
                state = DisclosureItemPage.objects.get(pk=page.pk).current_workflow_task_state
                since = timezone.now() - datetime.timedelta(days=data["waiting_days"])
                TaskState.objects.filter(pk=state.pk).update(started_at=since)
            self.report.add(page)

    def reviewers(self):
        """Bureau-level reviewers of the default workflow's 政策关 and 文字关."""
        self.user(
            "policy_reviewer",
            groups=[Group.objects.get(name=POLICY_GROUP)],
            first_name="政策法规处政策关审核",
        )
        self.user("text_reviewer", groups=[Group.objects.get(name=TEXT_GROUP)], first_name="办公室文字关审核")

    def site_settings(self, home):
        site = Site.objects.get(root_page=home)
        settings_obj = SiteSettings.for_site(site)
        if not settings_obj.site_id_code:
            settings_obj.site_id_code = "3213000045"
            settings_obj.sponsor = "宿迁市交通运输局"
            settings_obj.organizer = "宿迁市交通运输局办公室"
            settings_obj.address = "宿迁市洪泽湖路151号"
            settings_obj.postcode = "223800"
            settings_obj.phone = "0527-84355052"
            settings_obj.email = "jtj@suqian.gov.cn"
            settings_obj.icp_number = "苏ICP备05009181号"
            settings_obj.police_record_number = "苏公网安备 32130202000001号"
            settings_obj.police_record_code = "32130202000001"
            settings_obj.save()

    def disclosure_section(self, disclosure):
        self.child(
            disclosure,
            StandardPage,
            "xxgkzn",
            title=content.GUIDE["title"],
            body=paragraphs_html(content.GUIDE["body"]),
        )
        self.child(
            disclosure,
            CataloguePage,
            "xxgkml",
            title="政府信息公开目录",
            intro="<p>按组配分类、发布机构和年度浏览本局主动公开的全部政府信息。</p>",
        )
        apply_page = self.child(
            disclosure,
            ApplicationPage,
            "ysqgk",
            title=content.APPLICATION_ENTRY["title"],
            intro=content.APPLICATION_ENTRY["intro"],
            body=paragraphs_html(content.APPLICATION_ENTRY["body"]),
            form_intro=paragraphs_html([content.APPLICATION_ENTRY["form_intro"]]),
        )
        columns = {}
        for category in Category:
            intro = COLUMN_INTROS.get(category, "")
            columns[category] = self.child(
                disclosure,
                ColumnPage,
                category.value,
                title=category.label,
                category=category.value,
                intro=f"<p>{intro}</p>" if intro else "",
            )
        return columns, apply_page

    def departments(self, index):
        pages = {}
        for data in content.DEPARTMENTS:
            page = self.child(
                index,
                DepartmentPage,
                data["key"],
                title=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
                org_code=data["org_code"],
                duties="<ol>" + "".join(f"<li>{escape(d)}</li>" for d in data["duties"]) + "</ol>",
                head=data.get("head", ""),
                address=data.get("address", ""),
                office_hours=data.get("office_hours", ""),
                phone=data.get("phone", ""),
                status=data.get("status", "active"),
                leaders=[
                    DepartmentLeader(
                        sort_order=i,
                        name=leader["name"],
                        title=leader["title"],
                        resume=leader["resume"],
                        responsibilities=leader["responsibilities"],
                    )
                    for i, leader in enumerate(content.LEADERS if data["kind"] == "leadership" else [])
                ],
            )
            pages[data["key"]] = page
            if data.get("status", "active") == "active":
                self.user(
                    f"{data['key']}_editor",
                    groups=[page.editors_group],
                    first_name=f"{data['short_name']}编辑",
                )
                self.user(
                    f"{data['key']}_reviewer",
                    groups=[page.reviewers_group],
                    first_name=f"{data['short_name']}审核",
                )
        return pages

    def items(self, departments, admin):
        new_items = {}
        for data in content.ITEMS:
            department = departments[data["department"]]
            if data["key"] in STRUCTURED or department.get_children().filter(slug=data["key"]).exists():
                continue  # 预决算 and 办事指南 entries are built as structured pages by load_sector
            page = draft_item(data, owner=admin)
            department.add_child(instance=page)
            new_items[data["key"]] = page
        if not new_items:
            return
        by_key = {
            p.slug: p for p in DisclosureItemPage.objects.filter(slug__in=[d["key"] for d in content.ITEMS])
        }
        for data in content.ITEMS:
            # Link interpretations before anything is published: a policy goes out only with its 解读.
            if data.get("interprets") and data["key"] in new_items:
                page = new_items[data["key"]]
                page.interprets = by_key[data["interprets"]]
                page.save(update_fields=["interprets"])
        for data in sorted(content.ITEMS, key=lambda d: (d["publish_date"], d["key"])):
            page = new_items.get(data["key"])
            if page is None:
                continue
            if data.get("revised_by"):
                page.revised_by = by_key[data["revised_by"]]
            if data.get("doc_number"):
                self.attach_full_text(page, departments[data["department"]], data)
            reviewer = (
                get_user_model().objects.filter(username=f"{data['department']}_reviewer").first() or admin
            )
            page.save_revision(user=reviewer).publish(user=reviewer, skip_permission_checks=True)
            self.report.add(page)

    def attach_full_text(self, page, department, data):
        Document = get_document_model()
        text = "\n\n".join([data["title"], data.get("doc_number", "")] + list(data["body"]))
        document = Document(title=f"{data['title']}（全文）", collection=department.collection)
        document.file.save(f"{data['key']}.txt", ContentFile(text.encode("utf-8")), save=False)
        document.save()
        page.attachments.add(DisclosureAttachment(document=document, title=f"{data['title']}（全文文本）"))

    def sections(self, home, columns, apply_page):
        """政务服务, 互动交流, 新闻中心: each shows the newest items of a few columns."""
        specs = (
            ("zwfw", "政务服务", content.SERVICE_INTRO, [Category.SERVICES, Category.LAW_ENFORCEMENT], []),
            (
                "hdjl",
                "互动交流",
                content.INTERACTION_INTRO,
                [Category.CONCERNS],
                [
                    ("依申请公开", "向本局申请获取政府信息", apply_page),
                    ("回应关切", "对社会关切和不实信息的回应", columns[Category.CONCERNS]),
                ],
            ),
            (
                "xwzx",
                "新闻中心",
                content.NEWS_INTRO,
                [Category.NEWS, Category.NOTICES, Category.EMERGENCY],
                [],
            ),
        )
        for slug, title, intro, categories, links in specs:
            self.child(
                home,
                SectionPage,
                slug,
                title=title,
                show_in_menus=True,
                intro=f"<p>{escape(intro)}</p>",
                featured_columns=[
                    SectionFeaturedColumn(column=columns[c], sort_order=i) for i, c in enumerate(categories)
                ],
                entry_links=[
                    SectionEntryLink(title=t, description=d, link_page=p, sort_order=i)
                    for i, (t, d, p) in enumerate(links)
                ],
            )
