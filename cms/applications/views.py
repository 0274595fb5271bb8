"""The public side of 依申请公开: the form, the confirmation and the status lookup (sub-pages of ApplicationPage).

Personal data never appears on these pages beyond what the applicant typed into the form being shown back to them:
the confirmation and the status page show the name and phone masked, and the ID number not at all.
"""

from django.conf import settings
from django.core import signing
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from cms.core import ratelimit

from . import services
from .forms import ApplicationForm, StatusLookupForm
from .models import InformationRequest, applicant_key
from .vocabularies import RECEIPT_RULES, STAGE_ORDER, Channel, LetterKind, Status

LAST_SUBMITTED = "applications_last_submitted"
ATTACHMENT_SALT = "cms.applications.attachment"
ATTACHMENT_LINK_SECONDS = 3600  # a download link from the status page works for an hour

APPLICANT_NOTICES = {LetterKind.SUPPLEMENT, LetterKind.EXTENSION, LetterKind.FEE}
PUBLIC_EVENTS = {
    "submitted",
    "entered",
    "received",
    "supplement_requested",
    "supplement_received",
    "extended",
    "paused",
    "resumed",
    "replied",
    "withdrawn",
    "delivered",
    "archived",
}


def _private(response):
    """Pages about one person's request: never cached by a proxy or the browser's history."""
    response["Cache-Control"] = "private, no-store"
    return response


def apply(page, request):
    form = ApplicationForm(request.POST or None)
    status, error = 200, ""
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        if ratelimit.exceeded("submit-ip", ip, settings.APPLICATIONS_SUBMISSIONS_PER_IP_PER_HOUR):
            status, error = 429, _("提交过于频繁，请一小时后再试。您填写的内容已保留。")
        elif form.is_valid():
            key = applicant_key(form.cleaned_data["id_type"], form.cleaned_data["id_number"])
            if not ratelimit.hit(
                "submit-applicant", key, settings.APPLICATIONS_SUBMISSIONS_PER_APPLICANT_PER_DAY, 86400
            ):
                status, error = 429, _("同一申请人今日提交的申请已达上限，请明日再提交。您填写的内容已保留。")
            else:
                ratelimit.hit("submit-ip", ip, settings.APPLICATIONS_SUBMISSIONS_PER_IP_PER_HOUR, 3600)
                application = services.submit_online(form.save(commit=False))
                request.session[LAST_SUBMITTED] = application.pk
                return redirect(page.url + page.reverse_subpage("done"))
        elif form.is_bot:
            status, error = 400, _("提交未被接受。")
        else:
            status, error = 400, _("申请表有 %(n)d 处需要修改，请查看标红的项目。") % {"n": len(form.errors)}
    response = page.render(
        request,
        template="applications/apply.html",
        context_overrides={"form": form, "form_error": error},
    )
    response.status_code = status
    return _private(response)


def done(page, request):
    pk = request.session.get(LAST_SUBMITTED)
    application = InformationRequest.objects.filter(pk=pk).first() if pk else None
    if application is None:
        return redirect(page.url)
    response = page.render(
        request,
        template="applications/done.html",
        context_overrides={
            "application": application,
            "receipt_rule": RECEIPT_RULES[Channel(application.channel)],
        },
    )
    return _private(response)


def _lookup(form):
    application = (
        InformationRequest.objects.filter(tracking_code=form.cleaned_data["tracking_code"])
        .select_related("department")
        .first()
    )
    if application is None or not constant_time_compare(application.phone, form.cleaned_data["phone"]):
        return None
    return application


def status_context(page, application):
    events = [e for e in application.events.all() if e.kind in PUBLIC_EVENTS]
    letters = list(application.letters.all())
    reached = {
        Status.REGISTERED: 1,
        Status.SUPPLEMENT: 2,
        Status.PROCESSING: 3,
        Status.PAUSED: 3,
        Status.REPLIED: 4,
        Status.WITHDRAWN: 4,
        Status.ARCHIVED: 5,
    }[Status(application.status)]
    return {
        "application": application,
        "events": events,
        "stages": [(label, n < reached, n == reached) for n, label in enumerate(STAGE_ORDER, start=1)],
        "reading": application.read_clock(),
        "replies": [letter for letter in letters if letter.kind == LetterKind.REPLY],
        # The letter to a consulted third party is not the applicant's to read (it names the third party).
        "notices": [letter for letter in letters if letter.kind in APPLICANT_NOTICES],
        "attachments": [
            (
                item,
                page.url
                + page.reverse_subpage("attachment", args=[item.pk])
                + "?"
                + urlencode({"t": signing.dumps(item.pk, salt=ATTACHMENT_SALT)}),
            )
            for item in application.attachments.all()
        ],
    }


def status(page, request):
    form = StatusLookupForm(request.POST or None)
    context, code = {"form": form}, 200
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit("lookup-ip", ip, settings.APPLICATIONS_LOOKUPS_PER_IP_PER_HOUR, 3600):
            context["lookup_error"], code = _("查询过于频繁，请一小时后再试。"), 429
        elif form.is_valid():
            application = _lookup(form)
            if application is None:
                context["lookup_error"], code = (
                    _("未找到与该申请编号和联系电话相符的申请，请核对后重试。"),
                    404,
                )
            else:
                context.update(status_context(page, application))
                context["form"] = StatusLookupForm()  # the phone number is not echoed back into the page
        else:
            code = 400
    response = page.render(request, template="applications/status.html", context_overrides=context)
    response.status_code = code
    return _private(response)


def attachment(page, request, pk):
    """A reply attachment, for a link handed out by a successful status lookup (signed, valid for an hour)."""
    from .models import ReplyAttachment

    try:
        signed = signing.loads(
            request.GET.get("t", ""), salt=ATTACHMENT_SALT, max_age=ATTACHMENT_LINK_SECONDS
        )
    except signing.BadSignature:
        raise Http404 from None
    item = ReplyAttachment.objects.filter(pk=pk).first() if signed == pk else None
    if item is None:
        raise Http404
    return _private(
        FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])
    )
