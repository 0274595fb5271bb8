"""The default gate: 自动检查 → 政治关 → 政策关（含保密审查）→ 文字关, assigned to the whole site.

Idempotent; runs after every migrate (and after test flushes, through ``home.bootstrap``). An administrator's
own changes win: an existing default workflow is left as it is, and the root's assignment is only replaced
when it is missing or still Wagtail's generic "Moderators approval".
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask

from .models import AutomatedCheckTask, ReviewStage, ReviewStageTask

DEFAULT_WORKFLOW_NAME = "三审（默认）"
POLICY_GROUP = "政策关审核组（政策法规处）"
TEXT_GROUP = "文字关审核组（办公室）"


def _group(name):
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


@transaction.atomic
def ensure_review_workflow():
    root = Page.get_first_root_node()
    if root is None:
        return None
    workflow = Workflow.objects.filter(name=DEFAULT_WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=DEFAULT_WORKFLOW_NAME, active=True)
        checks = AutomatedCheckTask.objects.create(name="自动内容检查")
        political = ReviewStageTask.objects.create(
            name="政治关（处室负责人）", stage=ReviewStage.POLITICAL, include_department_reviewers=True
        )
        policy = ReviewStageTask.objects.create(name="政策关（含保密审查）", stage=ReviewStage.POLICY)
        policy.groups.add(_group(POLICY_GROUP))
        text = ReviewStageTask.objects.create(name="文字关", stage=ReviewStage.TEXT)
        text.groups.add(_group(TEXT_GROUP))
        for order, task in enumerate([checks, political, policy, text]):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    current = WorkflowPage.objects.filter(page=root).select_related("workflow").first()
    if current is None:
        WorkflowPage.objects.create(page=root, workflow=workflow)
    elif current.workflow.name == "Moderators approval":
        current.workflow = workflow
        current.save()
    return workflow
