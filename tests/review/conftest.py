import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms.review.setup import POLICY_GROUP, TEXT_GROUP
from tests import factories


def id_number(first17):
    """A resident ID number with its GB 11643 check character."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


VALID_ID = id_number("32130219850317123")


@pytest.fixture
def people(department):
    """An editor and three reviewers, one per stage, as the default workflow expects."""
    return {
        "editor": factories.make_user("bgs_editor", groups=[department.editors_group]),
        "political": factories.make_user("bgs_reviewer", groups=[department.reviewers_group]),
        "policy": factories.make_user("zcfgc_shenhe", groups=[Group.objects.get(name=POLICY_GROUP)]),
        "text": factories.make_user("bgs_wenzi", groups=[Group.objects.get(name=TEXT_GROUP)]),
    }


def pdf_bytes(pages):
    """A real PDF (reportlab, built-in Chinese CID font) with one string of text per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for text in pages:
        pdf.setFont("STSong-Light", 12)
        for n, line in enumerate(text.splitlines()):
            pdf.drawString(72, 760 - 18 * n, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_document(title, filename, data):
    Document = get_document_model()
    document = Document(title=title)
    document.file.save(filename, ContentFile(data), save=False)
    document._set_document_file_metadata()
    document.save()
    return document
