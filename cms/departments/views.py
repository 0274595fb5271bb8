"""The reorganization admin (机构调整): choose an operation, fill it in, preview, confirm, follow its progress,
read the result. Registered as a viewset in ``wagtail_hooks.py``; every view needs ``run_reorganization``."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Site

from .admin_forms import FORMS
from .models import ChangeKind, DepartmentStatus, Reorganization
from .reorganization import SAMPLE_SIZE, ReorganizationError, plan_for, resolve

PERMISSION = "departments.run_reorganization"


def can_reorganize(user):
    return user.is_active and user.has_perm(PERMISSION)


def _require_permission(request):
    if not can_reorganize(request.user):
        raise PermissionDenied


class ReorganizationView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "group"
    page_title = gettext_lazy("机构调整")

    def dispatch(self, request, *args, **kwargs):
        _require_permission(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": reverse("reorganizations:index"), "label": _("机构调整")}]


class IndexView(ReorganizationView):
    template_name = "departments/admin/reorganization_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(Reorganization.objects.select_related("created_by"), 50)
        context["records"] = paginator.get_page(self.request.GET.get("p"))
        context["kinds"] = [
            (kind, reverse("reorganizations:create", args=[kind.value]))
            for kind in Reorganization.OPERATION_KINDS
        ]
        return context


KIND_HELP = {
    ChangeKind.RENAME: gettext_lazy(
        "机构更名：新的全称、简称，必要时新的组织机构代码和网址名称。用户组和文档集合随之更名；已发布信息保留原发布机构名称。"
    ),
    ChangeKind.MERGE: gettext_lazy(
        "两个或多个机构并入一个已有机构，或合并组建新机构。原机构的全部信息移入承接机构，旧网址永久重定向；原机构人员加入承接机构的用户组。"
    ),
    ChangeKind.SPLIT: gettext_lazy(
        "一个机构的信息按栏目、关键词或信息列表分别划入几个机构，每条信息都须有去向；原机构状态为“已拆分”。"
    ),
    ChangeKind.TRANSFER: gettext_lazy("一项职责及其信息从一个机构划转到另一个机构，原机构继续存在。"),
    ChangeKind.ABOLISH: gettext_lazy("撤销机构：信息并入指定的承接机构，或在原机构页面下存档（只读）。"),
}


class CreateView(ReorganizationView):
    template_name = "departments/admin/reorganization_form.html"

    def dispatch(self, request, kind, *args, **kwargs):
        if kind not in FORMS:
            raise Http404
        self.kind = ChangeKind(kind)
        self.form_class = FORMS[self.kind]
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return _("新建：%(kind)s") % {"kind": self.kind.label}

    def get(self, request, *args, **kwargs):
        form = self.form_class(user=request.user, initial=request.GET.dict())
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        record = form.instance
        record.status = Reorganization.Status.PREVIEW
        record.save()
        return redirect("reorganizations:detail", record.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kind"] = self.kind
        context["kind_help"] = KIND_HELP[self.kind]
        context["rules"] = getattr(context["form"], "rules", None)
        context["action_url"] = reverse("reorganizations:create", args=[self.kind.value])
        return context


def preview_context(plan):
    """What the preview shows of a plan: moves, URL changes, access changes, history."""
    moves = {}
    for relocation in plan.relocations:
        if relocation.in_place:
            continue
        key = (
            relocation.source.pk,
            getattr(resolve(relocation.target), "pk", None),
            relocation.source.locale_id,
        )
        row = moves.setdefault(
            key,
            {
                "source": relocation.source,
                "target": relocation.target,
                "locale": relocation.source.locale,
                "pages": 0,
                "live": 0,
            },
        )
        row["pages"] += relocation.page_count
        row["live"] += relocation.live_count
    renames = [
        (unit, [(unit._meta.get_field(f).verbose_name, getattr(unit, f), v) for f, v in changes.items()])
        for unit, changes in plan.renames
    ]
    root_url = ""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        root_url = site.root_url
    return {
        "plan": plan,
        "moves": list(moves.values()),
        "url_total": plan.live_count,
        "url_sample": list(plan.url_changes(limit=SAMPLE_SIZE)),
        "root_url": root_url,
        "renames": renames,
        "retirements": [(unit, DepartmentStatus(status).label) for unit, status in plan.retirements],
        "slug_changes": plan.slug_changes(),
        "memberships": plan.memberships,
        "history": [(unit, ChangeKind(kind).label, text) for unit, kind, text in plan.history],
    }


class DetailView(ReorganizationView):
    template_name = "departments/admin/reorganization_detail.html"

    def get(self, request, pk):
        self.record = get_object_or_404(
            Reorganization.objects.select_related("created_by", "confirmed_by"), pk=pk
        )
        return self.render_to_response(self.get_context_data())

    def get_page_subtitle(self):
        return self.record.summary or self.record.get_kind_display()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.record
        context["record"] = record
        context["progress_url"] = reverse("reorganizations:progress", args=[record.pk])
        if record.status == Reorganization.Status.PREVIEW:
            try:
                context.update(preview_context(plan_for(record)))
            except ReorganizationError as exc:
                context["plan_error"] = "；".join(exc.messages)
            context["busy"] = other_running(record)
        elif record.status == Reorganization.Status.DONE:
            context["result"] = record.result
            context["history_entries"] = record.history_entries.select_related("department")
        return context


def other_running(record):
    return (
        Reorganization.objects.filter(
            status__in=[Reorganization.Status.QUEUED, Reorganization.Status.RUNNING]
        )
        .exclude(pk=record.pk)
        .first()
    )


@require_POST
def confirm(request, pk):
    """Confirm a previewed reorganization: queue the task (after this transaction commits) and show its progress."""
    from .tasks import run_reorganization

    _require_permission(request)
    with transaction.atomic():
        record = get_object_or_404(Reorganization.objects.select_for_update(), pk=pk)
        if record.status != Reorganization.Status.PREVIEW:
            messages.warning(request, _("该机构调整已确认过，不能重复执行。"))
            return redirect("reorganizations:detail", pk)
        busy = other_running(record)
        if busy is not None:
            messages.error(
                request, _("另一项机构调整（%(summary)s）正在执行，请待其完成后再确认。") % {"summary": busy}
            )
            return redirect("reorganizations:detail", pk)
        try:
            plan_for(record)
        except ReorganizationError as exc:
            messages.error(request, _("无法执行：%(error)s") % {"error": "；".join(exc.messages)})
            return redirect("reorganizations:detail", pk)
        record.status = Reorganization.Status.QUEUED
        record.confirmed_by = request.user
        record.confirmed_at = timezone.now()
        record.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        run_reorganization.delay_on_commit(record.pk)
    messages.success(request, _("已确认，正在后台执行：%(summary)s") % {"summary": record.summary})
    return redirect("reorganizations:detail", pk)


def progress(request, pk):
    """The progress of a reorganization as JSON, for the detail page to poll."""
    _require_permission(request)
    record = get_object_or_404(Reorganization, pk=pk)
    started = record.started_at or record.confirmed_at
    end = record.finished_at or timezone.now()
    return JsonResponse(
        {
            "status": record.status,
            "status_label": record.get_status_display(),
            "step": record.progress_step,
            "done": record.progress_done,
            "total": record.progress_total,
            "finished": record.is_finished,
            "elapsed_seconds": round((end - started).total_seconds(), 1) if started else None,
            "error": record.error,
        }
    )


def url_changes_csv(request, pk):
    """Every public URL the previewed reorganization changes, old and new, as CSV (UTF-8 with BOM)."""
    _require_permission(request)
    record = get_object_or_404(Reorganization, pk=pk, status=Reorganization.Status.PREVIEW)
    try:
        plan = plan_for(record)
    except ReorganizationError as exc:
        return HttpResponse("；".join(exc.messages), status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reorganization-{record.pk}-urls.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("原网址"), _("新网址")])
    for old, new in plan.url_changes():
        writer.writerow([old, new])
    return response
