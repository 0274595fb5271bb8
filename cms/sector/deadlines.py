"""Publication deadlines of the sector disclosures, as flags for editors (admin 行业公开 → 公开时限, the
dashboard panel):

- 行政处罚 / 行政许可 decisions: public within ``SECTOR_DECISION_PUBLICATION_WORKING_DAYS`` working days of the
  decision (国办发〔2018〕118号, 双公示);
- deals: a stage missing while a later stage is out, or a stage past its 应公开日期 (国办发〔2017〕97号);
- 部门预决算: public within ``SECTOR_BUDGET_PUBLICATION_DAYS`` days of the 财政部门's 批复 (预算法第十四条).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .vocabularies import DeadlineState, DealStageKind


@dataclass
class StageView:
    stage: DealStageKind
    record: object  # DealStage or None
    state: str  # done / missing / overdue / due / pending

    @property
    def label(self):
        return self.stage.label

    @property
    def flagged(self):
        return self.state in ("missing", "overdue")

    @property
    def state_label(self):
        return {
            "done": "已公开",
            "missing": "缺失",
            "overdue": "已逾期",
            "due": "待公开",
            "pending": "未到此环节",
        }[self.state]


def deal_timeline(stages, today=None):
    """The five stages of a deal in order, each with its record (if any) and its state.

    missing: not published although a later stage is; overdue: not published and past its 应公开日期;
    due: not published, due date ahead; pending: not reached yet.
    """
    today = today or timezone.localdate()
    by_stage = {}
    for record in stages:
        by_stage.setdefault(record.stage, record)
    order = list(DealStageKind)
    published = [n for n, stage in enumerate(order) if by_stage.get(stage) and by_stage[stage].date]
    last = max(published, default=-1)
    views = []
    for n, stage in enumerate(order):
        record = by_stage.get(stage)
        if record is not None and record.date:
            state = "done"
        elif n < last:
            state = "missing"
        elif record is not None and record.due_date and record.due_date < today:
            state = "overdue"
        elif record is not None and record.due_date:
            state = "due"
        else:
            state = "pending"
        views.append(StageView(stage, record, state))
    return views


@dataclass
class Flag:
    page: object
    kind: str  # 执法决定 / 公共资源交易 / 部门预决算
    problem: str
    due: object = None


def decision_flags(today=None):
    """Decisions not yet public past their due date, or published late (the last 90 days of decisions)."""
    from .models import EnforcementDecisionPage

    today = today or timezone.localdate()
    flags = []
    # Only what can be flagged: unpublished ones due within two days or overdue, and those published in the
    # last 90 days of deadlines (late ones stay on the list that long).
    decisions = (
        EnforcementDecisionPage.objects.filter(revocation="", publication_due__isnull=False)
        .filter(
            Q(publish_date__isnull=True, publication_due__lte=today + datetime.timedelta(days=2))
            | Q(publish_date__isnull=False, publication_due__gte=today - datetime.timedelta(days=90))
        )
        .defer("body")
        .order_by("publication_due", "pk")
    )
    for page in decisions:
        state = page.deadline_state
        if state == DeadlineState.OVERDUE:
            flags.append(
                Flag(
                    page,
                    "执法决定",
                    f"应于{page.publication_due:%Y-%m-%d}前公示，尚未公开",
                    page.publication_due,
                )
            )
        elif state == DeadlineState.DUE and (page.publication_due - today).days <= 2:
            flags.append(
                Flag(page, "执法决定", f"须于{page.publication_due:%Y-%m-%d}前公示", page.publication_due)
            )
        elif state == DeadlineState.LATE and (today - page.publication_due).days <= 90:
            flags.append(
                Flag(
                    page, "执法决定", f"逾期公示（截止{page.publication_due:%Y-%m-%d}）", page.publication_due
                )
            )
    return flags


def deal_flags(today=None):
    from .models import DealPage

    flags = []
    for deal in DealPage.objects.defer("body").prefetch_related("stages").order_by("path"):
        for view in deal.stage_timeline(today=today):
            if view.state == "missing":
                flags.append(Flag(deal, "公共资源交易", f"缺少“{view.label}”环节（后续环节已公开）"))
            elif view.state == "overdue":
                flags.append(
                    Flag(
                        deal,
                        "公共资源交易",
                        f"“{view.label}”应于{view.record.due_date:%Y-%m-%d}前公开，已逾期",
                        view.record.due_date,
                    )
                )
    return flags


def budget_flags(today=None):
    from .models import BudgetPage

    flags = []
    for page in (
        BudgetPage.objects.filter(publication_due__isnull=False).defer("body").order_by("publication_due")
    ):
        state = page.deadline_state
        if state == DeadlineState.OVERDUE:
            flags.append(
                Flag(
                    page,
                    "部门预决算",
                    f"批复后应于{page.publication_due:%Y-%m-%d}前公开，尚未公开",
                    page.publication_due,
                )
            )
        elif state == DeadlineState.LATE:
            flags.append(
                Flag(
                    page,
                    "部门预决算",
                    f"逾期公开（截止{page.publication_due:%Y-%m-%d}）",
                    page.publication_due,
                )
            )
    return flags


def all_flags(today=None):
    return decision_flags(today) + deal_flags(today) + budget_flags(today)
