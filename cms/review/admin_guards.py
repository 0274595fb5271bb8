"""The admin's ways around the gate, answered with a message instead of an error page.

Every path is refused in the models (``gate.GatedPageMixin.save``, the ``pre_page_move`` receiver); these hooks
ask the same questions first, so a person in the admin reads why, in Chinese, and nothing they chose is lost.
"""

import json

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.models import Page

from .gate import GatedPageMixin, move_problems, unpublish_problems


def _with_descendants(objects, include):
    pages = [page.specific for page in objects]
    if include:
        for page in list(pages):
            pages += list(Page.objects.descendant_of(page).live().specific())
    return pages


def _refuse(request, lines, back):
    for line in lines:
        messages.error(request, line)
    return redirect(back)


def bulk_action(request, action_type, objects, action):
    """Bulk publish does not pass the gate: refused for gated pages. Bulk unpublish and move ask the rules."""
    form = getattr(action, "cleaned_form", None)
    data = form.cleaned_data if form is not None else {}
    if action_type == "publish":
        gated = [
            p
            for p in _with_descendants(objects, data.get("include_descendants"))
            if isinstance(p, GatedPageMixin)
        ]
        if gated:
            titles = "、".join(f"《{p.title}》" for p in gated[:5]) + ("等" if len(gated) > 5 else "")
            return _refuse(
                request,
                [
                    _("%(pages)s须经三审（政治关、政策关、文字关）后发布，不能批量直接发布：请逐一提交审核。")
                    % {"pages": titles}
                ],
                action.next_url,
            )
    elif action_type == "unpublish":
        lines = [
            _("《%(title)s》未撤下：") % {"title": p.title} + "；".join(problems)
            for p in _with_descendants(objects, data.get("include_descendants"))
            if p.live and (problems := unpublish_problems(p))
        ]
        if lines:
            return _refuse(request, lines, action.next_url)
    elif action_type == "move" and data.get("chooser") is not None:
        lines = [
            _("《%(title)s》未移动：") % {"title": p.specific.title} + "；".join(problems)
            for p in objects
            if (problems := move_problems(p.specific, data["chooser"]))
        ]
        if lines:
            return _refuse(request, lines, action.next_url)
    return None


def unpublish_page(request, page):
    problems = unpublish_problems(page.specific)
    if problems:
        return _refuse(
            request, [_("未撤下：") + "；".join(problems)], reverse("wagtailadmin_pages:edit", args=[page.pk])
        )
    return None


def move_page(request, page, destination):
    problems = move_problems(page.specific, destination)
    if problems:
        return _refuse(
            request, [_("未移动：") + "；".join(problems)], reverse("wagtailadmin_pages:edit", args=[page.pk])
        )
    return None


def review_outcome(request, page):
    """Tell a reviewer who has just acted what happened to the page, and take them back to 待我审核."""
    page = type(page.specific).objects.get(pk=page.pk)
    task = page.current_workflow_task
    if page.live and page.live_revision_id == page.latest_revision_id and task is None:
        messages.success(request, _("《%(t)s》已通过全部审核并发布。") % {"t": page.title})
    elif task is not None:
        messages.success(request, _("《%(t)s》已进入“%(task)s”。") % {"t": page.title, "task": task.name})
    else:
        messages.warning(request, _("《%(t)s》已退回编辑修改。") % {"t": page.title})
    return redirect("wagtailadmin_home")


# Reviewers review; they do not edit --------------------------------------------------------------------


def _reviewing_only(request, page):
    """A reviewer of a stage who may not edit the page (another unit's content): approve, reject, comment."""
    if not isinstance(page.specific, GatedPageMixin) or request.user.is_superuser:
        return False
    if page.current_workflow_task is None:
        return False
    # Wagtail's can_edit() counts a workflow stage's access to the editor as editing: ask the page permissions.
    permissions = page.permissions_for_user(request.user).permissions
    return not ("change" in permissions or ("add" in permissions and page.owner_id == request.user.pk))


def reviewer_action_menu(menu_items, request, context):
    """In the editor, a reviewer who may not edit sees only the stage's actions (no 保存草稿, 取消工作流 …)."""
    page = context.get("page")
    if context.get("view") != "edit" or page is None or not _reviewing_only(request, page):
        return
    menu_items[:] = [item for item in menu_items if isinstance(item, WorkflowMenuItem)]


def reviewer_post(request, page):
    """The editor's form posted by such a reviewer: the stage's action is taken on the revision under review,
    whatever was typed into the fields; anything else (a draft, a cancellation) is refused."""
    if request.method != "POST" or not _reviewing_only(request, page):
        return None
    task_state = page.current_workflow_task_state
    action = request.POST.get("workflow-action-name")
    if request.POST.get("action-workflow-action") and task_state is not None:
        task = task_state.task.specific
        if action in [name for name, _label, _modal in task.get_actions(page.specific, request.user)]:
            extra = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
            task.on_action(task_state, request.user, action, **extra)
            return review_outcome(request, page)
    messages.error(
        request, _("审核人员只能审核（通过、退回并附意见），不能修改其他单位的内容或取消其审核流程。")
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
