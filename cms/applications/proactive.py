"""Art. 44: information that several applicants asked for may be moved into proactive disclosure.

``repeated_requests`` groups requests by what they asked for (``similarity.info_key``) and proposes the groups
where enough different applicants asked and the bureau disclosed at least once. ``create_draft`` turns a group
into a draft ``DisclosureItemPage`` in the handling department, with the disclosed files attached; the draft then
goes through the review gate like any other item.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q
from wagtail.documents import get_document_model

from cms.disclosure.models import DisclosureAttachment, DisclosureItemPage
from cms.disclosure.vocabularies import Category, DisclosureMode

from .models import InformationRequest
from .vocabularies import DISCLOSING_OUTCOMES, Status


@dataclass
class RepeatedGroup:
    key: str
    requests: list
    applicants: int

    @property
    def title(self):
        disclosed = [r for r in self.requests if r.outcome in DISCLOSING_OUTCOMES]
        return (disclosed or self.requests)[0].info_title

    @property
    def department(self):
        return next((r.department for r in self.requests if r.department_id), None)


def repeated_requests(queryset=None):
    queryset = (queryset if queryset is not None else InformationRequest.objects.all()).filter(
        proactive_item__isnull=True
    )
    keys = (
        queryset.exclude(status=Status.WITHDRAWN)
        .values("info_key")
        .annotate(
            applicants=Count("applicant_key", distinct=True),
            disclosed=Count("pk", filter=Q(outcome__in=DISCLOSING_OUTCOMES)),
            latest=Max("submitted_at"),
        )
        .filter(applicants__gte=settings.APPLICATIONS_REPEAT_THRESHOLD, disclosed__gte=1)
        .order_by("-applicants", "-latest")
    )
    counts = {row["info_key"]: row["applicants"] for row in keys}
    members = {}
    for request in (
        queryset.filter(info_key__in=counts).select_related("department").order_by("-submitted_at")
    ):
        members.setdefault(request.info_key, []).append(request)
    return [RepeatedGroup(key, members[key], counts[key]) for key in counts if key in members]


def group_for(key, queryset=None):
    return next((g for g in repeated_requests(queryset) if g.key == key), None)


@transaction.atomic
def create_draft(group, department, category, user):
    """A draft item for the group's information, in ``department``; the requests point at it afterwards."""
    page = DisclosureItemPage(
        title=group.title,
        slug=f"zdgk-{group.requests[0].pk}",
        live=False,
        category=category or Category.NOTICES,
        disclosure_mode=DisclosureMode.ACTIVE,
        summary="多名申请人申请公开的信息，依据《政府信息公开条例》第四十四条转为主动公开。"[:100],
        keywords="依申请公开,转主动公开",
        body=(
            "<p>本信息曾由多名申请人依申请获取，根据《中华人民共和国政府信息公开条例》第四十四条的规定，"
            "现转为主动公开。</p><p>（请编辑补充信息正文，并核对附件。）</p>"
        ),
        owner=user,
    )
    department.add_child(instance=page)
    Document = get_document_model()
    seen = set()
    for request in group.requests:
        if request.outcome not in DISCLOSING_OUTCOMES:
            continue
        for item in request.attachments.all():
            name = item.file.name.rsplit("/", 1)[-1]
            if name in seen:
                continue
            seen.add(name)
            with item.file.open("rb") as handle:
                document = Document(title=item.title, collection=department.collection, uploaded_by_user=user)
                document.file.save(name, ContentFile(handle.read()), save=False)
                document.save()
            page.attachments.add(DisclosureAttachment(document=document, title=item.title))
    page.save_revision(user=user)
    InformationRequest.objects.filter(pk__in=[r.pk for r in group.requests]).update(proactive_item=page)
    return page
