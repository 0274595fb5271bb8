"""A draft 年报 (政府信息公开工作年度报告) with chapters 三 and 四 filled in from the figures.

The tables go in as an attached XLSX (rich text has no tables); the chapters the system cannot know (一 总体情况,
二 主动公开, 五 问题和改进, 六 其他) are left as marked gaps for the editors. The draft is an ordinary
``DisclosureItemPage`` in the 年报 column of the chosen (or the intake) department, so it passes the review gate.
"""

from html import escape

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model

from cms.disclosure.models import DisclosureAttachment, DisclosureItemPage
from cms.disclosure.vocabularies import Category, Genre, Topic

from . import reports
from .letters import bureau_details
from .services import default_department

GAP = "（待编辑补充）"


@transaction.atomic
def create_annual_report_draft(figures, user):
    """The draft for the figures' year and scope; ``(page, created)``: an existing draft is not duplicated."""
    reports.require_passed(figures)
    department = figures.department or default_department()
    if department is None:
        raise reports.ReportCheckFailed("没有可放置年报的部门。")
    bureau = bureau_details()["机关名称"]
    title = reports.title_for(figures, bureau)
    three, four = reports.narrative(figures)
    year = figures.year
    paragraphs = [
        f"本报告依据《中华人民共和国政府信息公开条例》第五十条的规定编制，统计期限自{year}年1月1日起至{year}年12月31日止。",
        f"一、总体情况。{GAP}",
        f"二、主动公开政府信息情况。{GAP}",
        three,
        four,
        f"五、存在的主要问题及改进情况。{GAP}",
        f"六、其他需要报告的事项。{GAP}",
    ]
    slug = f"{year}-zfxxgk-ndbg-draft-{department.pk}"
    existing = department.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific, False
    page = DisclosureItemPage(
        title=title,
        slug=slug,
        live=False,
        category=Category.ANNUAL_REPORT,
        genre=Genre.REPORT,
        topic=Topic.TRANSPORT,
        keywords=f"{year},信息公开,年度报告",
        summary=f"报告{year}年度政府信息主动公开、依申请公开、行政复议和行政诉讼情况。",
        body="".join(f"<p>{escape(p)}</p>" for p in paragraphs),
        owner=user,
    )
    department.add_child(instance=page)
    Document = get_document_model()
    document = Document(title=f"{title}（统计表）", collection=department.collection, uploaded_by_user=user)
    document.file.save(f"annual-report-{year}.xlsx", ContentFile(reports.to_xlsx(figures)), save=False)
    document.save()
    page.attachments.add(
        DisclosureAttachment(document=document, title=f"{year}年度依申请公开及复议诉讼统计表")
    )
    page.save()
    page.save_revision(user=user)
    return page, True
