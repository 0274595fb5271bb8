"""The public 执法进度查询: a case's progress by case number plus verification code.

Enumeration is made useless while a party can always reach its own case: a wrong number and a wrong code get
the same message and status (and the code is compared in constant time, against a dummy when no case has that
number); every lookup counts against the client's hourly limit; and failed lookups count against the address
*and* case number together, each failure after the first doubling the wait before that address may try that case again, five
locking the pair for an hour. Nobody can lock a case for everyone: another address (the party's own) is not
affected, and 8-character codes cannot be guessed within the per-address limits. The limits are
``cms.core.ratelimit``.
"""

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from cms.core import ratelimit

from .forms import CaseLookupForm
from .models import EnforcementCase, normalize_case_number

NOT_FOUND = "未找到与该案件编号和查询码相符的案件，请核对后重试。查询码见受理通知书；如有疑问请致电办案单位。"
TOO_MANY = "查询过于频繁，请一小时后再试。"
WAIT = "查询码不正确的次数较多，请%(seconds)s秒后再试。"
DUMMY_CODE = "0" * 8


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def find_case(case_number, code):
    """The case with this number and code, or None whether the number or the code is wrong."""
    case = EnforcementCase.objects.for_lookup(case_number).first()
    expected = case.verification_code.upper() if case else DUMMY_CODE
    matches = constant_time_compare(expected, code.upper())
    return case if case is not None and matches else None


def case_lookup(page, request):
    form = CaseLookupForm(request.POST or None)
    context, status = {"form": form}, 200
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit("sector-lookup-ip", ip, settings.SECTOR_CASE_LOOKUPS_PER_IP_PER_HOUR, 3600):
            context["lookup_error"], status = _(TOO_MANY), 429
        elif form.is_valid():
            pair = f"{ip}|{normalize_case_number(form.cleaned_data['case_number'])}"
            limit = settings.SECTOR_CASE_LOOKUP_FAILURES_PER_CASE_PER_HOUR
            if ratelimit.exceeded("sector-lookup-case", pair, limit):
                context["lookup_error"], status = _(TOO_MANY), 429
            elif wait := cache.get(f"sector-lookup-wait:{pair}"):
                context["lookup_error"], status = _(WAIT) % {"seconds": wait}, 429
            else:
                case = find_case(form.cleaned_data["case_number"], form.cleaned_data["code"])
                if case is None:
                    ratelimit.hit("sector-lookup-case", pair, limit, 3600)
                    failures = max(ratelimit.count("sector-lookup-case", pair), 1)
                    base = settings.SECTOR_CASE_LOOKUP_DELAY_SECONDS
                    if (
                        base > 0 and failures > 1
                    ):  # one typo costs nothing; each further wrong code doubles the wait
                        delay = min(base * 2 ** (failures - 2), 3600)
                        cache.set(f"sector-lookup-wait:{pair}", delay, timeout=delay)
                    context["lookup_error"], status = _(NOT_FOUND), 404
                else:
                    context["case"] = case
                    context["stages"] = case.stages()
                    decision = case.decision
                    context["decision"] = (
                        decision if decision and decision.live and not decision.is_revoked else None
                    )
                    # The code is not echoed back into the page; the number stays so the result is labelled.
                    context["form"] = CaseLookupForm(
                        initial={"case_number": form.cleaned_data["case_number"]}
                    )
        else:
            status = 400
            context["lookup_error"] = _("请填写案件编号和查询码。")
    response = TemplateResponse(request, page.get_template(request), {**page.get_context(request), **context})
    response.status_code = status
    return _private(response)
