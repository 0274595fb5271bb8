"""A document a live page shows is part of what the reviewers approved: its file is not replaced in place.

An editor who needs a new version uploads it as a new document and attaches it in the page, whose new revision
goes through the gate (where the automated checks read the new file). The file of a document that no live page
uses may be replaced; the checks read the current file when a page using it is next submitted. Which pages use
a document is Wagtail's reference index (attachments and links in rich text alike).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.documents.forms import BaseDocumentForm
from wagtail.models import Page, ReferenceIndex

from .gate import GateRefused


def live_pages_using(document):
    """Live pages whose content refers to ``document``."""
    if document.pk is None:
        return Page.objects.none()
    ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return Page.objects.filter(pk__in=[int(i) for i in ids], live=True).order_by("path")


def replacement_problem(document, pages):
    titles = "、".join(f"《{p.title}》" for p in pages[:3]) + ("等" if len(pages) > 3 else "")
    return _(
        "本文件已用于已发布的%(pages)s，不能直接替换：请把新版本上传为新文件，在页面中替换附件后提交审核。"
    ) % {"pages": titles}


def _file_changed(document):
    stored = type(document).objects.filter(pk=document.pk).values_list("file", flat=True).first()
    return stored is not None and stored != document.file.name


def refuse_replacement(sender, instance, raw=False, **kwargs):
    """On every path (admin, API, shell): the file of a document a live page uses stays as approved."""
    if raw or instance.pk is None or not _file_changed(instance):
        return
    pages = list(live_pages_using(instance)[:4])
    if pages:
        raise GateRefused(replacement_problem(instance, pages))


class DocumentForm(BaseDocumentForm):
    """The admin's document form: the same refusal as a message on the file field, the rest of the form kept."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "file" in self.changed_data:
            pages = list(live_pages_using(self.instance)[:4])
            if pages:
                self.add_error("file", replacement_problem(self.instance, pages))
        return cleaned


def connect():
    pre_save.connect(
        refuse_replacement, sender=get_document_model(), dispatch_uid="review-document-replacement"
    )
