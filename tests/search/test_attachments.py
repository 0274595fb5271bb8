"""Text of attached PDF, DOCX and XLSX files is searchable; it is extracted when the file is uploaded."""

import io

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

from cms.disclosure.models import DisclosureAttachment, DisclosureItemPage
from cms.review.models import DocumentText
from search.tasks import extract_document
from tests import factories
from tests.review.conftest import make_document, pdf_bytes
from tests.review.test_text_and_extract import make_docx, w_paragraph, w_run

pytestmark = pytest.mark.django_db


def xlsx_bytes(rows):
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FILES = {
    "pdf": ("收费标准.pdf", lambda: pdf_bytes(["船舶检验收费标准", "第二页：内河船舶法定检验"])),
    "docx": ("办事指南.docx", lambda: make_docx(w_paragraph(w_run("道路运输经营许可证换证所需材料")))),
    "xlsx": ("项目清单.xlsx", lambda: xlsx_bytes([["项目名称", "金额"], ["宿迁港中心港区码头工程", 1200]])),
}


def attach(page, kind):
    filename, build = FILES[kind]
    document = make_document(filename.rsplit(".", 1)[0], filename, build())
    page.attachments.add(DisclosureAttachment(document=document))
    return factories.publish(page), document


@pytest.mark.parametrize(
    "kind, query", [("pdf", "内河船舶法定检验"), ("docx", "换证所需材料"), ("xlsx", "中心港区码头工程")]
)
def test_text_of_attached_files_is_found(department, kind, query):
    page = factories.make_item(department, title="附件测试", body="<p>详见附件。</p>")
    page, _document = attach(page, kind)
    assert [p.pk for p in DisclosureItemPage.objects.live().search(query)] == [page.pk]


def test_the_result_shows_where_in_the_attachment(client, department):
    page = factories.make_item(department, title="收费公示", body="<p>详见附件。</p>")
    attach(page, "pdf")
    response = client.get("/search/", {"q": "法定检验"})
    result = response.context["outcome"].results[0]
    assert result.from_attachment == "收费标准"
    assert "<mark>法定检验</mark>" in str(result.snippet)
    assert "附件《收费标准》" in response.content.decode()


def test_text_is_extracted_when_the_file_is_uploaded(department):
    document = make_document("收费标准", "收费标准.pdf", FILES["pdf"][1]())
    cached = DocumentText.objects.get(document=document)
    assert "船舶检验收费标准" in cached.pages[0]
    assert cached.file_hash == document.file_hash


@override_settings(WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": "search.backend", "ASYNC_UPDATES": True}})
def test_with_celery_the_upload_sends_the_extraction_with_the_document_id(
    department, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(extract_document, "delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document("收费标准", "收费标准.pdf", FILES["pdf"][1]())
    assert (document.pk,) in sent
    assert not DocumentText.objects.filter(document=document).exists()  # not in the request
    extract_document.run(document.pk)
    assert DocumentText.objects.filter(document=document).exists()


def test_replacing_the_file_reindexes_the_items_that_attach_it(department):
    # Only the file of a document no live page uses may be replaced (tests/review/test_gate.py): a draft's.
    page = factories.make_item(department, title="收费公示", body="<p>详见附件。</p>", live=False)
    filename, build = FILES["pdf"]
    document = make_document("收费标准", filename, build())
    page.attachments.add(DisclosureAttachment(document=document))
    page.save()
    document.file.save("新标准.pdf", ContentFile(pdf_bytes(["船舶登记收费标准（新）"])), save=False)
    document._set_document_file_metadata()
    document.save()
    assert [p.pk for p in DisclosureItemPage.objects.search("船舶登记")] == [page.pk]
    assert not DisclosureItemPage.objects.search("法定检验")
    factories.publish(page)
    assert [p.pk for p in DisclosureItemPage.objects.live().search("船舶登记")] == [page.pk]


def test_unreadable_files_index_nothing_and_fail_nothing(department):
    page = factories.make_item(department, title="附件无法读取", body="<p>详见附件。</p>")
    document = make_document("旧格式", "旧格式.doc", b"\xd0\xcf\x11\xe0 not really a doc")
    page.attachments.add(DisclosureAttachment(document=document))
    page.save_revision()
    # The review gate warns about the .doc (it cannot check it); search just finds the page by its title.
    page = DisclosureItemPage.objects.get(pk=page.pk)
    assert page.pk in {p.pk for p in DisclosureItemPage.objects.search("附件无法读取")}
