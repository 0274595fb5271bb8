"""Groups and the one-stage emergency workflow. Idempotent; runs after every migrate and from the demo."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import Workflow, WorkflowTask

from cms.review.models import AutomatedCheckTask, ReviewStage, ReviewStageTask

from .querysets import MANAGERS_GROUP

EMERGENCY_WORKFLOW_NAME = "应急信息发布（一审）"


def ensure_groups():
    access_admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    group, _created = Group.objects.get_or_create(name=MANAGERS_GROUP)
    if access_admin is not None:
        group.permissions.add(access_admin)
    return group


@transaction.atomic
def ensure_emergency_workflow():
    """自动内容检查 → 政治关（本单位审核人）: the shortened review for incident releases (国办发〔2016〕61号 and 80号: 5 h / 24 h)."""
    workflow = Workflow.objects.filter(name=EMERGENCY_WORKFLOW_NAME).first()
    if workflow is not None:
        return workflow if workflow.active else None
    workflow = Workflow.objects.create(name=EMERGENCY_WORKFLOW_NAME, active=True)
    checks = AutomatedCheckTask.objects.create(name="自动内容检查（应急）")
    stage = ReviewStageTask.objects.create(
        name="应急审核（本单位负责人）", stage=ReviewStage.POLITICAL, include_department_reviewers=True
    )
    for order, task in enumerate([checks, stage]):
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow
