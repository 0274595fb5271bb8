"""Staff side of 依申请公开 in the Wagtail admin: handling a request (办理), its letters, the department dashboard
panel, the annual-report figures and the Art. 44 suggestions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from cms.departments.models import DepartmentPage
from cms.disclosure.vocabularies import Category

from . import forms, proactive, reports, services
from .clock import days_left
from .models import InformationRequest, Letter, ReplyAttachment
from .querysets import department_ids_of, is_intake
from .services import ActionRefused
from .vocabularies import CLOCK_STATUSES, PauseKind, Status


def visible_requests(user):
    return InformationRequest.objects.visible_to(user)


def _request_for(user, pk):
    return get_object_or_404(visible_requests(user).select_related("department"), pk=pk)


# Processing ------------------------------------------------------------------------------------------

ACTIONS = {
    "confirm": (_("确认收到申请"), forms.ConfirmReceiptForm),
    "assign": (_("交承办部门"), forms.AssignForm),
    "supplement": (_("告知补正（一次性）"), forms.SupplementForm),
    "supplement_received": (_("收到补正"), forms.SupplementReceivedForm),
    "extend": (_("延期答复"), forms.ExtensionForm),
    "pause": (_("征求意见或收费：暂停计时"), forms.PauseForm),
    "resume": (_("恢复计时"), forms.ResumeForm),
    "reply": (_("作出答复"), forms.ReplyForm),
    "withdraw": (_("终止办理"), forms.WithdrawForm),
    "deliver": (_("登记送达"), forms.DeliveryForm),
    "archive": (_("归档"), None),
}

AVAILABLE = {
    Status.REGISTERED: ["confirm", "assign", "withdraw"],
    Status.PROCESSING: ["reply", "supplement", "extend", "pause", "assign", "withdraw"],
    Status.SUPPLEMENT: ["supplement_received", "withdraw"],
    Status.PAUSED: ["resume", "withdraw"],
    Status.REPLIED: ["deliver", "archive"],
    Status.WITHDRAWN: ["archive"],
    Status.ARCHIVED: [],
}


def available_actions(application):
    names = list(AVAILABLE[Status(application.status)])
    if application.extension_days:
        names = [n for n in names if n != "extend"]
    if application.events.filter(kind="supplement_requested").exists():
        names = [n for n in names if n != "supplement"]
    return names


def _perform(name, application, form, user):
    data = form.cleaned_data if form is not None else {}
    on = data.get("on")
    if name == "confirm":
        return services.confirm_receipt(application, on, user)
    if name == "assign":
        return services.assign(application, data["department"], user)
    if name == "supplement":
        return services.request_supplement(application, on, data["items"], data["deadline"], user)
    if name == "supplement_received":
        return services.receive_supplement(application, on, user, data.get("note", ""))
    if name == "extend":
        return services.extend(application, data["days"], data["approver"], on, data["reason"], user)
    if name == "pause":
        return services.start_pause(
            application,
            data["kind"],
            on,
            user,
            party=data.get("party", ""),
            fee_method=data.get("fee_method", "") if data["kind"] == PauseKind.FEE else "",
            fee_quantity=data.get("fee_quantity") if data["kind"] == PauseKind.FEE else None,
            fee_amount=data.get("fee_amount") if data["kind"] == PauseKind.FEE else None,
            note=data.get("note", ""),
        )
    if name == "resume":
        return services.end_pause(application, on, user, data.get("note", ""))
    if name == "reply":
        files = [data["files"]] if data.get("files") else []
        return services.reply(
            application,
            data["outcome"],
            on,
            data.get("text", ""),
            user,
            withheld_reason=data.get("withheld_reason", ""),
            files=files,
        )
    if name == "withdraw":
        return services.withdraw(application, on, data["outcome"], user, data.get("note", ""))
    if name == "deliver":
        return services.deliver(application, on, data["note"], user)
    if name == "archive":
        return services.archive(application, user)
    raise Http404


def _initial(name, application):
    """Suggested values: for a fee notice, which request of the applicant's this is in its calendar month."""
    if name != "pause" or application.received_on is None:
        return {}
    nth = InformationRequest.objects.filter(
        applicant_key=application.applicant_key,
        received_on__year=application.received_on.year,
        received_on__month=application.received_on.month,
        received_on__lte=application.received_on,
    ).count()
    return {"initial": {"fee_quantity": nth}}


def process(request, pk, action=None):
    application = _request_for(request.user, pk)
    names = available_actions(application)
    bound, status = {}, 200
    if request.method == "POST":
        if action not in names:
            messages.error(request, _("当前状态下不能进行此操作。"))
            return redirect("applications_process", pk)
        form_class = ACTIONS[action][1]
        form = form_class(request.POST, request.FILES) if form_class else None
        if form is None or form.is_valid():
            try:
                result = _perform(action, application, form, request.user)
            except ActionRefused as exc:
                if form is None:
                    messages.error(request, " ".join(exc.messages))
                    return redirect("applications_process", pk)
                form.add_error(None, exc)
            else:
                messages.success(request, _("已完成：%(a)s。") % {"a": ACTIONS[action][0]})
                if isinstance(result, Letter):
                    messages.info(request, _("已生成《%(t)s》，可修改后打印。") % {"t": result.title})
                    return redirect("applications_letter", result.pk)
                return redirect("applications_process", pk)
        bound[action], status = form, 400
    services.log_personal_data_view(application, request.user, "process")
    actions = [
        {
            "name": name,
            "label": ACTIONS[name][0],
            "form": bound.get(name)
            or (ACTIONS[name][1](**_initial(name, application)) if ACTIONS[name][1] else None),
            "open": name in bound,
        }
        for name in names
    ]
    return TemplateResponse(
        request,
        "applications/admin/process.html",
        {
            "application": application,
            "reading": application.read_clock(),
            "events": application.events.select_related("user"),
            "pauses": application.pauses.all(),
            "letters": application.letters.all(),
            "attachments": application.attachments.all(),
            "actions": actions,
            "can_edit": is_intake(request.user)
            or application.department_id in department_ids_of(request.user),
        },
        status=status,
    )


def letter(request, pk):
    item = get_object_or_404(Letter.objects.select_related("request"), pk=pk)
    _request_for(request.user, item.request_id)
    form = forms.LetterForm(request.POST or None, initial={"title": item.title, "body": item.body})
    if request.method == "POST" and form.is_valid():
        item.title, item.body = form.cleaned_data["title"], form.cleaned_data["body"]
        item.save(update_fields=["title", "body"])
        services.log(instance=item.request, action="applications.letter_edited", data={"letter": item.number})
        messages.success(request, _("文书已保存。"))
        return redirect("applications_letter", pk)
    services.log_personal_data_view(item.request, request.user, "letter")
    return TemplateResponse(
        request,
        "applications/admin/letter.html",
        {"letter": item, "form": form, "application": item.request},
        status=400 if form.errors else 200,
    )


def letter_print(request, pk):
    item = get_object_or_404(Letter.objects.select_related("request"), pk=pk)
    _request_for(request.user, item.request_id)
    services.log_personal_data_view(item.request, request.user, "letter_print")
    from .letters import bureau_details

    return TemplateResponse(
        request, "applications/admin/letter_print.html", {"letter": item, "bureau": bureau_details()}
    )


def attachment(request, pk):
    item = get_object_or_404(ReplyAttachment, pk=pk)
    _request_for(request.user, item.request_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])


# Dashboard -------------------------------------------------------------------------------------------


def clock_rows(user, today=None):
    """Open requests the user may see, with the working days left, soonest deadline first."""
    today = today or timezone.localdate()
    rows = []
    open_requests = (
        visible_requests(user).open().select_related("department").order_by("due_date", "submitted_at")
    )
    for application in open_requests[:500]:
        left = None
        if application.status in CLOCK_STATUSES and application.due_date:
            left = days_left(application.due_date, today)
        rows.append({"request": application, "left": left})
    return rows


def department_summary(rows):
    summary = {}
    for row in rows:
        application = row["request"]
        name = application.department.title if application.department_id else _("（未分配）")
        entry = summary.setdefault(
            name, {"department": name, "open": 0, "overdue": 0, "soon": 0, "registered": 0, "waiting": 0}
        )
        entry["open"] += 1
        if row["left"] is not None and row["left"] < 0:
            entry["overdue"] += 1
        elif row["left"] is not None and row["left"] <= 5:
            entry["soon"] += 1
        if application.status == Status.REGISTERED:
            entry["registered"] += 1
        if application.status in (Status.SUPPLEMENT, Status.PAUSED):
            entry["waiting"] += 1
    return sorted(summary.values(), key=lambda e: (-e["overdue"], -e["soon"], e["department"]))


class ClockPanel(Component):
    name = "applications_clock"
    template_name = "applications/admin/dashboard_panel.html"
    order = 95

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        rows = clock_rows(self.request.user)
        return {
            "departments": department_summary(rows),
            "rows": [r for r in rows if r["left"] is not None][:10],
            "registered": [r for r in rows if r["request"].status == Status.REGISTERED][:10],
            "list_url": reverse("informationrequest:index"),
        }


def show_clock_panel(user):
    return is_intake(user) or bool(department_ids_of(user))


def _to_draft(request, page, fallback):
    """Open the new draft in the editor, or, for someone who may not edit that department's pages, say where it is."""
    if page.permissions_for_user(request.user).can_edit():
        return redirect("wagtailadmin_pages:edit", page.pk)
    messages.info(request, _("草稿位于“%(p)s”栏目下，由该部门编辑完善。") % {"p": page.get_parent().title})
    return redirect(fallback)


# Annual report figures -------------------------------------------------------------------------------


def _year(request):
    raw = request.GET.get("year") or request.POST.get("year") or str(timezone.localdate().year - 1)
    try:
        year = int(raw)
    except ValueError:
        return None
    return year if 2008 <= year <= timezone.localdate().year else None


def _scope(request):
    raw = request.GET.get("department") or request.POST.get("department")
    if not raw:
        return None, True
    try:
        return DepartmentPage.objects.get(pk=int(raw)), True
    except (ValueError, DepartmentPage.DoesNotExist):
        return None, False


def annual_report(request):
    if not is_intake(request.user):
        raise PermissionDenied
    year = _year(request)
    department, ok = _scope(request)
    context = {
        "departments": DepartmentPage.objects.active().order_by("path"),
        "department": department,
        "this_year": timezone.localdate().year,
    }
    if year is None or not ok:
        context["error"] = _("年度应为2008年至今年之间的四位数字，部门须从列表中选择。")
        return TemplateResponse(request, "applications/admin/annual_report.html", context, status=400)
    figures = reports.compute(year, department)
    context.update(year=year, figures=figures, columns=reports.COLUMNS, rows=figures.rows())
    context.update(case_groups=reports.CASE_GROUPS, case_columns=reports.CASE_COLUMNS)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        if not figures.passed:
            context["error"] = _("勾稽关系校验未通过，不能导出：") + "；".join(figures.problems)
            return TemplateResponse(request, "applications/admin/annual_report.html", context, status=409)
        data = reports.to_csv(figures) if fmt == "csv" else reports.to_xlsx(figures)
        content_type = (
            "text/csv; charset=utf-8"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="annual-report-{year}.{fmt}"'
        return response
    if request.method == "POST":
        if not figures.passed:
            context["error"] = _("勾稽关系校验未通过，不能生成年报：") + "；".join(figures.problems)
            return TemplateResponse(request, "applications/admin/annual_report.html", context, status=409)
        from .annual import create_annual_report_draft

        page, created = create_annual_report_draft(figures, request.user)
        if created:
            messages.success(
                request, _("已生成年报草稿《%(t)s》，请补充其余章节后提交审核。") % {"t": page.title}
            )
        else:
            messages.warning(request, _("《%(t)s》的草稿已存在，未重复生成。") % {"t": page.title})
        return _to_draft(request, page, reverse("applications_annual_report") + f"?year={year}")
    return TemplateResponse(request, "applications/admin/annual_report.html", context)


# Art. 44 ---------------------------------------------------------------------------------------------


def suggestions(request):
    if not is_intake(request.user) and not department_ids_of(request.user):
        raise PermissionDenied
    groups = proactive.repeated_requests(visible_requests(request.user))
    if request.method == "POST":
        group = next((g for g in groups if g.key == request.POST.get("key")), None)
        department = DepartmentPage.objects.filter(pk=request.POST.get("department") or 0).first()
        department = department or (group.department if group else None)
        category = request.POST.get("category") or Category.NOTICES
        if group is None or department is None or category not in Category.values:
            messages.error(request, _("请选择要转为主动公开的信息和发布部门。"))
            return redirect("applications_suggestions")
        if not (is_intake(request.user) or department.pk in department_ids_of(request.user)):
            raise PermissionDenied
        page = proactive.create_draft(group, department, category, request.user)
        messages.success(
            request, _("已在%(d)s生成主动公开草稿，请完善后提交审核。") % {"d": department.title}
        )
        return _to_draft(request, page, reverse("applications_suggestions"))
    return TemplateResponse(
        request,
        "applications/admin/suggestions.html",
        {
            "groups": groups,
            "categories": Category.choices,
            "departments": DepartmentPage.objects.active().order_by("path"),
        },
    )
