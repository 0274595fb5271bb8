"""Staff side of the sector disclosures: the deadline flags (公开时限), the dashboard panel, and withdrawing a
revoked enforcement decision from public view."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.log_actions import log

from .deadlines import all_flags
from .forms import WithdrawDecisionForm
from .models import EnforcementDecisionPage


def flags_for(user):
    """The flags on pages this user may edit (superusers: all)."""
    flags = all_flags()
    if user.is_superuser:
        return flags
    return [f for f in flags if f.page.permissions_for_user(user).can_edit()]


def deadlines(request):
    return TemplateResponse(request, "sector/admin/deadlines.html", {"flags": flags_for(request.user)})


class DeadlinePanel(Component):
    name = "sector_deadlines"
    template_name = "sector/admin/dashboard_panel.html"
    order = 96

    def __init__(self, flags):
        self.flags = flags

    def get_context_data(self, parent_context):
        return {"flags": self.flags[:10], "total": len(self.flags), "list_url": reverse("sector_deadlines")}


def withdraw_decision(page, user, revocation, revoked_on, reason):
    """Record the revocation and take the decision off the public site (columns, feeds, search, new media
    follow the unpublish). It cannot be published again (``EnforcementDecisionPage.save``)."""
    with transaction.atomic():
        page.revocation, page.revoked_on, page.revocation_reason = revocation, revoked_on, reason
        if page.live:
            page.unpublish(user=user)
        else:
            page.save(update_fields=list(EnforcementDecisionPage.REVOCATION_FIELDS))
        log(
            instance=page,
            action="sector.decision_withdrawn",
            user=user,
            data={"revocation": revocation, "revoked_on": revoked_on.isoformat(), "reason": reason},
        )
    return page


def withdraw(request, page_id):
    page = get_object_or_404(EnforcementDecisionPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_unpublish():
        raise PermissionDenied
    if page.is_revoked:
        messages.info(request, _("该决定已撤回。"))
        return redirect("wagtailadmin_pages:edit", page.pk)
    form = WithdrawDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        withdraw_decision(
            page,
            request.user,
            form.cleaned_data["revocation"],
            form.cleaned_data["revoked_on"],
            form.cleaned_data["reason"],
        )
        messages.success(request, _("《%(t)s》已从公示中撤回。") % {"t": page.title})
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    response = TemplateResponse(request, "sector/admin/withdraw.html", {"page": page, "form": form})
    if request.method == "POST":
        response.status_code = 400
    return response
