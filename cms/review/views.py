"""Admin views of the gate: run the checks on a draft, the 待我审核 panel, the review statistics and the
bypass report."""

import statistics

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.models import Page, TaskState, WorkflowState

from cms.core import units
from cms.core.workdays import working_days_between

from . import gate
from .models import CheckReport, GateBypass


def check_page(request, page_id):
    """Run the checks on the latest draft and return to the editor, where the panel shows the findings."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    draft = page.get_latest_revision_as_object()
    report = gate.run_checks(draft, CheckReport.Trigger.EDITOR, revision=page.get_latest_revision())
    if report.passed:
        messages.success(request, _("内容检查通过，提示 %(w)d 处。") % {"w": report.warning_count})
    else:
        messages.error(request, _("内容检查发现 %(b)d 个必须修改的问题。") % {"b": report.blocking_count})
    return redirect("wagtailadmin_pages:edit", page.pk)


def pending_reviews(user, now=None):
    """Task states this user can act on, oldest first, with their age in working days and the SLA flag."""
    now = now or timezone.now()
    sla = getattr(settings, "REVIEW_SLA_WORKING_DAYS", 2)
    states = list(
        TaskState.objects.reviewable_by(user)
        .select_related("task", "workflow_state", "workflow_state__requested_by")
        .order_by("started_at")
    )
    page_ids = [int(s.workflow_state.object_id) for s in states]
    pages = {
        p.pk: p for p in Page.objects.filter(pk__in=page_ids).only("title", "draft_title", "path", "depth")
    }
    departments = units.outline()
    rows = []
    for state in states:
        page = pages.get(int(state.workflow_state.object_id))
        if page is None:
            continue
        age = working_days_between(timezone.localtime(state.started_at), timezone.localtime(now))
        rows.append(
            {
                "page": page,
                "title": page.draft_title or page.title,
                "department": _department_for(page.path, departments),
                "task": state.task.name,
                "requested_by": state.workflow_state.requested_by,
                "started_at": state.started_at,
                "submitted_at": state.workflow_state.created_at,
                "age": age,
                "overdue": age > sla,
            }
        )
    return rows, sla


class PendingReviewsPanel(Component):
    name = "review_pending"
    template_name = "review/pending_panel.html"
    order = 90

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        rows, sla = pending_reviews(self.request.user)
        return {"rows": rows, "sla": sla, "overdue": sum(1 for r in rows if r["overdue"])}


def _department_for(path, departments):
    return units.title_for_path(path, departments) or _("（未归属部门）")


def _hours(seconds_list):
    if not seconds_list:
        return None, None
    return round(statistics.mean(seconds_list) / 3600, 1), round(statistics.median(seconds_list) / 3600, 1)


def review_statistics(since):
    """Throughput and time per stage and per department for reviews finished since ``since``."""
    states = list(
        TaskState.objects.filter(
            finished_at__gte=since, status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED]
        )
        .select_related("task")
        .values("task__name", "status", "started_at", "finished_at", "workflow_state__object_id")
    )
    per_stage = {}
    for s in states:
        row = per_stage.setdefault(s["task__name"], {"approved": 0, "rejected": 0, "seconds": []})
        row["approved" if s["status"] == TaskState.STATUS_APPROVED else "rejected"] += 1
        row["seconds"].append((s["finished_at"] - s["started_at"]).total_seconds())
    stage_rows = []
    for name, row in per_stage.items():
        mean, median = _hours(row["seconds"])
        stage_rows.append(
            {
                "name": name,
                "approved": row["approved"],
                "rejected": row["rejected"],
                "mean": mean,
                "median": median,
            }
        )

    runs = list(
        WorkflowState.objects.filter(created_at__gte=since).values("object_id", "status", "created_at", "pk")
    )
    finished = dict(
        TaskState.objects.filter(workflow_state__in=[r["pk"] for r in runs], finished_at__isnull=False)
        .order_by("workflow_state", "finished_at")
        .values_list("workflow_state", "finished_at")
    )
    paths = dict(Page.objects.filter(pk__in=[int(r["object_id"]) for r in runs]).values_list("pk", "path"))
    departments = units.outline()
    per_department = {}
    for run in runs:
        path = paths.get(int(run["object_id"]))
        if path is None:
            continue
        row = per_department.setdefault(
            _department_for(path, departments),
            {"submitted": 0, "published": 0, "returned": 0, "open": 0, "seconds": []},
        )
        row["submitted"] += 1
        if run["status"] == WorkflowState.STATUS_APPROVED:
            row["published"] += 1
            if run["pk"] in finished:
                row["seconds"].append((finished[run["pk"]] - run["created_at"]).total_seconds())
        elif run["status"] == WorkflowState.STATUS_NEEDS_CHANGES:
            row["returned"] += 1
        elif run["status"] == WorkflowState.STATUS_IN_PROGRESS:
            row["open"] += 1
    department_rows = []
    for name, row in sorted(per_department.items()):
        mean, median = _hours(row["seconds"])
        department_rows.append(
            {"name": name, **{k: v for k, v in row.items() if k != "seconds"}, "mean": mean, "median": median}
        )
    return stage_rows, department_rows


def _is_reviewer(user):
    return (
        user.is_superuser
        or user.groups.filter(review_stage_tasks__isnull=False).exists()
        or units.reviewed_by(user).exists()
    )


def statistics_view(request):
    if not _is_reviewer(request.user):
        raise PermissionDenied
    try:
        days = max(1, min(int(request.GET.get("days", 30)), 3660))
    except ValueError:
        return TemplateResponse(
            request, "review/statistics.html", {"error": _("统计天数应为 1 到 3660 之间的整数。")}, status=400
        )
    since = timezone.now() - timezone.timedelta(days=days)
    stage_rows, department_rows = review_statistics(since)
    return TemplateResponse(
        request,
        "review/statistics.html",
        {"days": days, "stage_rows": stage_rows, "department_rows": department_rows, "since": since},
    )


def bypass_report(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    records = GateBypass.objects.select_related("page", "user", "revision").order_by("-created_at")[:500]
    return TemplateResponse(request, "review/bypass_report.html", {"records": records})
