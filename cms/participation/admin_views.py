"""Monthly statistics of messages (国办发〔2017〕47号 互动交流: 留言 published with statistics) and the dashboard deadline panel."""

import datetime

from django import forms
from django.db.models import Count, F, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from .models import ConsultationComment, EmergencyIncidentPage, Message
from .vocabularies import MessageCategory, MessageChannel, MessageStatus, Moderation


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("月份"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": _("月份格式应为 YYYY-MM，例如 2019-07。")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )


def month_range(value):
    year, month = (int(p) for p in value.split("-"))
    start = datetime.date(year, month, 1)
    end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def monthly_totals(start, end, queryset=None):
    """Messages received in [start, end): received, replied, on time, pending (and overdue), not accepted."""
    queryset = (queryset if queryset is not None else Message.objects.all()).filter(
        received_on__gte=start, received_on__lt=end
    )
    replied = Q(status=MessageStatus.REPLIED)
    pending = Q(status=MessageStatus.PENDING)
    totals = queryset.aggregate(
        received=Count("pk"),
        replied=Count("pk", filter=replied),
        on_time=Count("pk", filter=replied & Q(replied_on__lte=F("due_on"))),
        pending=Count("pk", filter=pending),
        overdue_pending=Count("pk", filter=pending & Q(due_on__lt=timezone.localdate())),
        invalid=Count("pk", filter=Q(status=MessageStatus.INVALID)),
        hotline=Count("pk", filter=Q(channel=MessageChannel.HOTLINE)),
    )
    valid = totals["received"] - totals["invalid"]
    totals["reply_rate"] = round(100 * totals["replied"] / valid, 1) if valid else None
    totals["on_time_rate"] = (
        round(100 * totals["on_time"] / totals["replied"], 1) if totals["replied"] else None
    )
    return totals


def monthly_statistics(start, end, queryset=None):
    """The totals, and counts by category, channel and unit."""
    queryset = (queryset if queryset is not None else Message.objects.all()).filter(
        received_on__gte=start, received_on__lt=end
    )
    totals = monthly_totals(start, end, queryset)
    replied = Q(status=MessageStatus.REPLIED)
    by_category = dict(queryset.values_list("category").annotate(n=Count("pk")))
    by_channel = dict(queryset.values_list("channel").annotate(n=Count("pk")))
    by_department = list(
        queryset.values("department__title")
        .annotate(
            received=Count("pk"),
            replied=Count("pk", filter=replied),
            pending=Count("pk", filter=Q(status=MessageStatus.PENDING)),
        )
        .order_by("-received", "department__title")
    )
    return {
        "totals": totals,
        "by_category": [(label, by_category.get(value, 0)) for value, label in MessageCategory.choices],
        "by_channel": [(label, by_channel.get(value, 0)) for value, label in MessageChannel.choices],
        "by_department": by_department,
    }


def statistics(request):
    from django.core.exceptions import PermissionDenied

    from .wagtail_hooks import _staff

    if not any(_staff(request.user)):
        raise PermissionDenied
    form = MonthForm(request.GET or None)
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    status = 200
    if form.is_bound:
        if form.is_valid() and form.cleaned_data["month"]:
            month = form.cleaned_data["month"]
        elif not form.is_valid():
            status = 400
    start, end = month_range(month)
    context = {
        "form": form,
        "month": month,
        **monthly_statistics(start, end, Message.objects.visible_to(request.user)),
    }
    return render(request, "participation/admin/statistics.html", context, status=status)


class DeadlinesPanel(Component):
    """Dashboard: incidents whose 5 h / 24 h clocks run, messages near or past their deadline, held comments."""

    name = "participation_deadlines"
    template_name = "participation/admin/deadlines_panel.html"
    order = 120

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        now = timezone.now()
        user = self.request.user
        messages = list(
            Message.objects.visible_to(user)
            .pending()
            .filter(due_on__lte=timezone.localdate() + datetime.timedelta(days=3))
            .select_related("department")
            .order_by("due_on")[:10]
        )
        incidents = [
            page
            for page in EmergencyIncidentPage.objects.filter(
                ended=False, occurred_at__gte=now - datetime.timedelta(days=2)
            )
            if page.released_at is None or page.press_conference_at is None
        ]
        return {
            "messages": [(m, m.working_days_left()) for m in messages],
            "incidents": incidents,
            "now": now,
            "held_comments": ConsultationComment.objects.visible_to(user)
            .filter(status=Moderation.HELD)
            .count(),
        }
