"""The gate: the one place that decides whether a revision may go live, and the one event it emits.

Every publish of a gated page, whatever the path (admin button, workflow approval, scheduled go-live, shell,
API), ends in the page's ``save()`` with ``live=True`` and a new ``live_revision``. ``GatedPageMixin.save`` asks
``clear_for_publish`` first. A revision is cleared when:

- a workflow run approved it through every stage (``WorkflowState`` approved, its last task on this revision);
- it is a companion published together with an approved page by that approval (``paired``: a page type's
  ``gate_companions``, e.g. a policy document's interpretations);
- a superuser recorded a bypass with a reason (``GateBypass``, admin form or ``bypass()`` in code).

A translation is a page like any other: it passes a workflow of its own, and not before its source is live.
A companion goes live in the revision the reviewers approved with the page, never a later draft.

Whatever the clearance, the page type's own rules (``gate_problems``, e.g. disclosure's pairing of a policy with
its interpretation) and the blocking automated checks apply. A cleared workflow release records a
``GateRelease`` and, once the transaction commits, sends ``page_released``.

The gate knows no page type: what a type adds, it adds through the hooks of ``GatedPageMixin``. Which unit's
reviewers hold a page's 政治关 comes from ``cms.core.units``.
"""

import contextlib
import contextvars
import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from modelcluster.models import get_all_child_relations
from wagtail.log_actions import log
from wagtail.models import COMMENTS_RELATION_NAME, Page, Revision, TaskState, WorkflowState

from .models import ApprovedCompanion, CheckReport, GateBypass, GateRelease, ReviewStageTask
from .signals import page_released

logger = logging.getLogger(__name__)

_bypass = contextvars.ContextVar("review_gate_bypass", default=None)
_paired = contextvars.ContextVar("review_gate_paired", default=None)
# Revisions whose publish-time checks ran in this very action (the final approval): not run twice.
_checked = contextvars.ContextVar("review_gate_checked", default=frozenset())
# Pages being saved through GatedPageMixin.save, by object: {id(page): "publish" (cleared) or "plain"}.
_saving = contextvars.ContextVar("review_gate_saving", default=None)


class GateRefused(ValidationError):
    """The gate refused to let a revision go live (or be submitted). The message says why, in Chinese."""


# What a live page shows is its live revision ---------------------------------------------------------

# Fields Wagtail (and the tree) keeps itself: they change on a live page without a new revision. A page type
# adds the ones it derives or the system sets (``GatedPageMixin.gate_system_fields``).
SYSTEM_FIELDS = frozenset(
    {
        "id",
        "page_ptr",
        "path",
        "depth",
        "numchild",
        "translation_key",
        "locale",
        "latest_revision",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "live_revision",
        "go_live_at",
        "expire_at",
        "expired",
        "locked",
        "locked_at",
        "locked_by",
        "draft_title",
        "content_type",
        "url_path",
        "owner",
        "latest_revision_created_at",
        "alias_of",
    }
)


def content_fields(model):
    """The concrete fields of ``model`` that are content: what only a reviewed revision may change."""
    system = SYSTEM_FIELDS | set(getattr(model, "gate_system_fields", ()))
    return [f for f in model._meta.concrete_fields if f.name not in system and not f.name.endswith("_ptr")]


def _stored(field, value):
    """``value`` as a revision keeps it: revisions are JSON, where times carry milliseconds (DjangoJSONEncoder),
    so a time that differs below the millisecond is the same content."""
    value = field.get_prep_value(value)
    if isinstance(value, datetime.datetime | datetime.time):
        value = value.replace(microsecond=value.microsecond // 1000 * 1000)
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
    return value


def _same(field, a, b):
    return _stored(field, a) == _stored(field, b)


def changed_fields(page, values):
    """Names of the content fields whose value on ``page`` differs from ``values`` ({attname: value})."""
    return [
        f.verbose_name
        for f in content_fields(type(page))
        if f.attname in values and not _same(f, getattr(page, f.attname), values[f.attname])
    ]


def child_relations(model):
    """The inline children that are part of a page's content (Wagtail's comments are not)."""
    return [r for r in get_all_child_relations(model) if r.get_accessor_name() != COMMENTS_RELATION_NAME]


def _child_rows(page):
    rows = {}
    for relation in child_relations(type(page)):
        child_model = relation.related_model
        fields = [
            f
            for f in child_model._meta.concrete_fields
            if not f.primary_key and f.name not in ("sort_order", relation.field.name)
        ]
        rows[relation.get_accessor_name()] = [
            tuple(_stored(f, getattr(child, f.attname)) for f in fields)
            for child in getattr(page, relation.get_accessor_name()).all()
        ]
    return rows


def revision_differences(page, revision):
    """What ``page``, about to be saved live as ``revision``, shows that the revision does not."""
    approved = revision.as_object()
    values = {f.attname: getattr(approved, f.attname) for f in content_fields(type(page))}
    changed = changed_fields(page, values)
    mine, theirs = _child_rows(page), _child_rows(approved)
    changed += [
        str(getattr(type(page), name).rel.related_model._meta.verbose_name)
        for name in mine
        if mine[name] != theirs.get(name)
    ]
    return changed


# Context ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def bypass(reason, user=None, pages=None):
    """Publish without human review inside this block, recording ``reason`` (shell, imports, migrations).

    ``pages`` limits the bypass to those pages (or page ids); None means any page published in the block. The
    automated checks and the policy/interpretation pairing still apply.
    """
    if not reason or not str(reason).strip():
        raise GateRefused(_("绕过审核发布必须说明理由。"))
    page_ids = None if pages is None else {getattr(p, "pk", p) for p in pages}
    token = _bypass.set({"reason": str(reason).strip(), "user": user, "pages": page_ids})
    try:
        yield
    finally:
        _bypass.reset(token)


def _active_bypass(page):
    state = _bypass.get()
    if state and (state["pages"] is None or page.pk in state["pages"]):
        return state
    return None


# Reviewers -------------------------------------------------------------------------------------------


def may_act_on_stage(page, user):
    """Four eyes: the submitter does not approve their own page, and nobody approves two stages of one run."""
    if not getattr(settings, "REVIEW_DISTINCT_APPROVERS", True):
        return True
    state = page.current_workflow_state
    if state is None:
        return False
    if state.requested_by_id == user.pk:
        return False
    return not state.task_states.filter(status=TaskState.STATUS_APPROVED, finished_by=user).exists()


# The page types' own rules ---------------------------------------------------------------------------


def rule_problems(page, *, submitting):
    """Reasons the page type's own rules give against submitting (``submitting``) or publishing ``page``."""
    hook = getattr(page, "gate_problems", None)
    return list(hook(submitting=submitting)) if hook else []


def companions(page):
    """The pages that pass the gate together with ``page`` and go live in the same action."""
    hook = getattr(page, "gate_companions", None)
    return list(hook()) if hook else []


def unpublish_problems(page):
    """Reasons the page type's rules give against taking ``page`` off the public site."""
    hook = getattr(page, "gate_unpublish_problems", None)
    return list(hook()) if hook else []


def move_problems(page, new_parent):
    """Reasons the page type's rules give against moving ``page`` under ``new_parent``."""
    hook = getattr(page, "gate_move_problems", None)
    return list(hook(new_parent)) if hook else []


def refusal(page, problems):
    return GateRefused(_("《%(title)s》：") % {"title": page.title} + "；".join(problems))


def paired_release_of(page):
    """The paired release in progress that ``page`` is part of (it goes live as an approved page's companion)."""
    state = _paired.get()
    return state if state and page.pk in state["pages"] else None


# Automated checks ------------------------------------------------------------------------------------


def run_checks(page, trigger, *, revision=None, attachments=None):
    """Run the content checks (and pairing rules) on ``page``; store and return the CheckReport."""
    from .checks.engine import check_page

    result = check_page(page, attachments=attachments)
    report = CheckReport(
        page_id=page.pk,
        revision=revision,
        trigger=trigger,
        findings=[f.as_dict() for f in result.findings],
        blocking_count=sum(1 for f in result.findings if f.blocks),
        warning_count=sum(1 for f in result.findings if not f.blocks),
        duration_ms=result.duration_ms,
    )
    if page.pk:  # an unsaved page (the create form) gets its findings as form errors only
        report.save()
    return report


def summarize(report, limit=8):
    lines = [
        f"{f['location']}：{f['message']}"
        + (f"「{f['match']}」" if f["match"] else "")
        + (f" → {f['suggestion']}" if f["suggestion"] else "")
        for f in report.findings
        if f["severity"] == "block"
    ]
    more = len(lines) - limit
    text = "；".join(lines[:limit])
    return text + (_("；另有 %(n)d 处") % {"n": more} if more > 0 else "")


def _revision_pages(task_state):
    """The submitted revision's page and the latest drafts of its companions."""
    page = task_state.revision.as_object()
    pages = [(page, task_state.revision)]
    for companion in companions(page):
        revision = companion.latest_revision
        pages.append((revision.as_object() if revision else companion, revision))
    return pages


def review_problems(task_state, trigger):
    """Everything that stops this workflow run's revision (and its paired interpretations) from going live."""
    problems = []
    for page, revision in _revision_pages(task_state):
        problems.extend(rule_problems(page, submitting=False))
        report = run_checks(page, trigger, revision=revision)
        if not report.passed:
            problems.append(
                _("《%(title)s》%(summary)s") % {"title": page.title, "summary": summarize(report)}
            )
    return problems


def run_workflow_checks(task_state, user):
    """AutomatedCheckTask.start: approve or send back at once, so the workflow moves on without a human."""
    problems = review_problems(task_state, CheckReport.Trigger.WORKFLOW)
    task_state.status = TaskState.STATUS_REJECTED if problems else TaskState.STATUS_APPROVED
    task_state.finished_at = timezone.now()
    task_state.comment = (
        _("自动检查未通过，请修改后重新提交：") + "；".join(problems) if problems else _("自动检查通过")
    )
    task_state.save(update_fields=["status", "finished_at", "comment"])
    page = task_state.workflow_state.content_object.specific
    log(
        instance=page,
        action="review.checks_failed" if problems else "review.checks_passed",
        data={"comment": task_state.comment[:2000]},
        revision=task_state.revision,
        user=None,
    )


def _is_final_stage(task, task_state):
    workflow_state = task_state.workflow_state
    remaining = (
        workflow_state.workflow.tasks.filter(active=True)
        .exclude(task_states__in=workflow_state.successful_task_states)
        .exclude(pk=task.pk)
    )
    return not remaining.exists()


@transaction.atomic
def approve_stage(task, task_state, user, comment=""):
    """Approve a review stage; on the final stage, re-run the publish-time checks first.

    If the revision would be refused at publish, the final approval becomes a rejection carrying the reasons,
    so the page goes back to its editor instead of failing in the reviewer's hands.
    """
    if not may_act_on_stage(task_state.workflow_state.content_object, user):
        raise GateRefused(_("您已审核过本轮的其他关口或是提交人，不能审核本关。"))
    if not _is_final_stage(task, task_state):
        return task_state.approve(user=user, comment=comment)
    problems = review_problems(task_state, CheckReport.Trigger.PUBLISH)
    if problems:
        return task_state.reject(
            user=user,
            comment=_("发布前检查未通过，已退回：")
            + "；".join(problems)
            + (f"\n{comment}" if comment else ""),
        )
    pages = _revision_pages(task_state)
    ApprovedCompanion.objects.bulk_create(
        [
            ApprovedCompanion(workflow_state=task_state.workflow_state, page_id=page.pk, revision=revision)
            for page, revision in pages[1:]
            if revision is not None
        ],
        ignore_conflicts=True,
    )
    token = _checked.set(_checked.get() | {revision.pk for _page, revision in pages if revision is not None})
    try:
        return task_state.approve(user=user, comment=comment)
    finally:
        _checked.reset(token)


# Clearance at publish --------------------------------------------------------------------------------


def _approved_workflow_state(page, revision_id):
    if revision_id is None:
        return None
    return (
        WorkflowState.objects.filter(
            base_content_type_id=page.get_base_content_type().pk,
            object_id=str(page.pk),
            status=WorkflowState.STATUS_APPROVED,
            current_task_state__revision_id=revision_id,
        )
        .order_by("-pk")
        .first()
    )


def _translation_problems(page):
    """A translation goes live only after its source: the public never reads a translation of a draft."""
    if not page.locale_id or page.locale.language_code == settings.LANGUAGE_CODE or not page.translation_key:
        return []
    source = (
        Page.objects.filter(
            translation_key=page.translation_key, locale__language_code=settings.LANGUAGE_CODE
        )
        .only("title", "live")
        .first()
    )
    if source is not None and not source.live:
        return [_("译文的原文《%(title)s》尚未发布：请先发布原文，再发布译文。") % {"title": source.title}]
    return []


def clear_for_publish(page):
    """Decide how ``page`` (about to be saved live with ``live_revision``) passes the gate, or refuse."""
    revision_id = page.live_revision_id
    clearance = None
    if (paired := paired_release_of(page)) is not None:
        clearance = {"via": GateRelease.Via.PAIRED, **paired}
    elif (state := _approved_workflow_state(page, revision_id)) is not None:
        clearance = {"via": GateRelease.Via.WORKFLOW, "workflow_state": state}
    elif (active := _active_bypass(page)) is not None:
        clearance = {"via": "bypass", "reason": active["reason"], "user": active["user"], "record": None}
    elif revision_id and (
        record := GateBypass.objects.filter(page_id=page.pk, revision_id=revision_id).first()
    ):
        clearance = {"via": "bypass", "reason": record.reason, "user": record.user, "record": record}
    if clearance is None:
        raise GateRefused(_("《%(title)s》未经审核流程批准，不能发布。") % {"title": page.title})

    if clearance["via"] == GateRelease.Via.PAIRED and clearance["pages"][page.pk] != revision_id:
        raise GateRefused(_("《%(title)s》只能以与政策文件一同审核通过的版本发布。") % {"title": page.title})
    problems = rule_problems(page, submitting=False) + _translation_problems(page)
    revision = Revision.objects.filter(pk=revision_id).first() if revision_id else None
    if revision is not None and (changed := revision_differences(page, revision)):
        raise GateRefused(
            _("《%(title)s》要发布的内容与审核通过的版本不一致（%(fields)s），不能发布。")
            % {"title": page.title, "fields": "、".join(str(c) for c in changed)}
        )
    if revision_id not in _checked.get():  # the dictionary as it is now, at a scheduled go-live too
        report = run_checks(page, CheckReport.Trigger.PUBLISH, revision=revision)
        if not report.passed:
            problems.append(summarize(report))
    if problems:
        raise GateRefused(_("《%(title)s》不能发布：") % {"title": page.title} + "；".join(problems))
    return clearance


def approvals_of(workflow_state):
    states = (
        workflow_state.task_states.filter(status=TaskState.STATUS_APPROVED)
        .select_related("task", "finished_by")
        .order_by("finished_at", "pk")
    )
    stage_labels = dict(
        ReviewStageTask.objects.filter(pk__in=[s.task_id for s in states]).values_list("pk", "stage")
    )
    from .models import ReviewStage

    approvals = []
    for state in states:
        stage = stage_labels.get(state.task_id)
        approvals.append(
            {
                "task": state.task.name,
                "stage": stage or "automated",
                "stage_label": str(ReviewStage(stage).label) if stage else _("自动内容检查"),
                "user_id": state.finished_by_id,
                "user": state.finished_by.get_username() if state.finished_by else "",
                "user_name": (state.finished_by.get_full_name() or state.finished_by.get_username())
                if state.finished_by
                else "",
                "at": state.finished_at.isoformat() if state.finished_at else "",
                "comment": state.comment,
            }
        )
    return approvals


def record_release(page, clearance):
    """After the page is saved live: write the event (or the bypass record) and publish paired drafts."""
    revision_id = page.live_revision_id
    via = clearance["via"]
    if via == "bypass":
        if clearance["record"] is None:
            GateBypass.objects.get_or_create(
                page_id=page.pk,
                revision_id=revision_id,
                defaults={"user": clearance["user"], "reason": clearance["reason"]},
            )
        log(
            instance=page,
            action="review.bypass",
            data={"reason": clearance["reason"]},
            user=clearance["user"],
        )
    elif via in (GateRelease.Via.WORKFLOW, GateRelease.Via.PAIRED):
        state = clearance.get("workflow_state")
        approvals = approvals_of(state) if state else []
        release, created = GateRelease.objects.get_or_create(
            revision_id=revision_id,
            defaults={
                "page_id": page.pk,
                "workflow_state": state,
                "via": via,
                "paired_with_id": clearance.get("paired_with_id"),
                "approvals": approvals,
            },
        )
        if created:
            log(
                instance=page,
                action="review.released",
                data={"via": via, "approvals": [a["user"] for a in approvals if a["user"]]},
                revision=release.revision,
            )
            transaction.on_commit(lambda: page_released.send(sender=GateRelease, release=release))
    _publish_companions(page, clearance)


def _approved_companion_revisions(clearance):
    """The companions' revisions the workflow run approved with the page, still newer than what is live."""
    state = clearance.get("workflow_state")
    if state is None:
        return []
    rows = ApprovedCompanion.objects.filter(workflow_state=state).select_related("revision", "page")
    due = []
    for row in rows:
        live = row.page.live_revision_id
        if live == row.revision_id:
            continue
        if (
            row.page.live
            and live
            and Revision.objects.filter(pk=live, created_at__gt=row.revision.created_at).exists()
        ):
            continue  # a newer revision went through the gate on its own since
        due.append(row.revision)
    return due


def _publish_companions(page, clearance):
    """同步发布: the page's companions go live in the same transaction — after a workflow, exactly the
    revisions its reviewers approved with the page (at a scheduled go-live, or a republish, too); after a
    recorded bypass, their latest drafts, under the same reason."""
    if clearance["via"] == GateRelease.Via.PAIRED:
        return  # a companion going live is itself part of this release
    if clearance["via"] == "bypass":
        drafts = [
            p for p in companions(page) if p.latest_revision_id and p.latest_revision_id != p.live_revision_id
        ]
        with bypass(clearance["reason"], clearance["user"], pages=drafts):
            for draft in drafts:
                draft.latest_revision.publish(user=clearance["user"], skip_permission_checks=True)
        return
    revisions = _approved_companion_revisions(clearance)
    if not revisions:
        return
    token = _paired.set(
        {
            "pages": {int(r.object_id): r.pk for r in revisions},
            "paired_with_id": page.pk,
            "workflow_state": clearance.get("workflow_state"),
        }
    )
    try:
        for revision in revisions:
            revision.publish(user=clearance.get("user"), skip_permission_checks=True)
    finally:
        _paired.reset(token)


class GatedPageMixin(models.Model):
    """Pages whose content reaches the public only through the gate.

    A page type adds its own rules by overriding the two hooks: ``gate_problems`` (reasons to refuse a
    submission or a publish) and ``gate_companions`` (pages approved and published together with this one).
    """

    class Meta:
        abstract = True

    def gate_problems(self, *, submitting):
        """Reasons this page may not be submitted (``submitting``) or published under its type's own rules."""
        return []

    def gate_companions(self):
        """Pages whose latest drafts pass the gate together with this page and go live in the same action."""
        return []

    def gate_unpublish_problems(self):
        """Reasons this live page may not be taken off the public site (e.g. another page depends on it)."""
        return []

    def gate_move_problems(self, new_parent):
        """Reasons this page may not be moved under ``new_parent``."""
        return []

    def _cleared_without_review(self):
        return _active_bypass(self) is not None or paired_release_of(self) is not None

    # Fields this page type derives or the system sets, beside Wagtail's own (``SYSTEM_FIELDS``).
    gate_system_fields = ()

    def _stored_state(self, update_fields):
        """The stored row's live state and, for a live page, the content fields this save would write."""
        if self.pk is None:
            return None
        fields = [f.attname for f in content_fields(type(self))]
        if update_fields is not None:
            fields = [f for f in fields if f in update_fields or f.removesuffix("_id") in update_fields]
        return (
            type(self)._default_manager.filter(pk=self.pk).values("live", "live_revision_id", *fields).first()
        )

    def publish(self, revision, *args, **kwargs):
        """``revision.publish()`` in code: a bypass in force is recorded against the revision now, so that a
        future go-live time (published later by the scheduler, outside this block) still finds it."""
        active = _active_bypass(self)
        if active is not None:
            GateBypass.objects.get_or_create(
                page_id=self.pk,
                revision=revision,
                defaults={"user": active["user"], "reason": active["reason"]},
            )
        return super().publish(revision, *args, **kwargs)

    def save(self, *args, **kwargs):
        if self.pk is None and self.live and not self._cleared_without_review():
            # Created live (a copy with "publish copies", add_child in code): it starts as a draft instead,
            # to go live through the gate like any other.
            self.live, self.has_unpublished_changes = False, True
        update_fields = kwargs.get("update_fields")
        stored = self._stored_state(update_fields)
        # A save limited to other fields (save_revision's, for one) does not change what is live.
        writes_state = update_fields is None or bool(
            {"live", "live_revision", "live_revision_id"} & set(update_fields)
        )
        if (
            stored is not None
            and stored["live"]
            and not self.live
            and writes_state
            and (problems := unpublish_problems(self))
        ):
            raise refusal(self, problems)
        going_live = (
            self.live
            and writes_state
            and (stored is None or not stored["live"] or stored["live_revision_id"] != self.live_revision_id)
        )
        if stored is not None and stored["live"] and self.live and not going_live:
            if changed := changed_fields(self, stored):
                raise GateRefused(
                    _("《%(title)s》已发布：修改（%(fields)s）须保存为新版本并通过审核后才能公开。")
                    % {"title": self.title, "fields": "、".join(str(c) for c in changed)}
                )
        clearance = clear_for_publish(self) if going_live else None
        token = _saving.set({**(_saving.get() or {}), id(self): "publish" if clearance else "plain"})
        try:
            result = super().save(*args, **kwargs)
        finally:
            _saving.reset(token)
        if clearance is not None:
            record_release(self, clearance)
        return result


def live_content_mismatches(pages=None):
    """Live gated pages whose content is not their live revision's: what a raw SQL statement or a
    ``QuerySet.update()`` (which no model code sees) would leave behind. [(page, [field names])]."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if not issubclass(model, GatedPageMixin) or model._meta.abstract:
            continue
        queryset = model.objects.filter(
            live=True,
            content_type__model=model._meta.model_name,
            content_type__app_label=model._meta.app_label,
        )
        if pages is not None:
            queryset = queryset.filter(pk__in=[getattr(p, "pk", p) for p in pages])
        for page in queryset.select_related("live_revision"):
            if page.live_revision is None:
                found.append((page, [_("无已发布版本")]))
            elif changed := revision_differences(page, page.live_revision):
                found.append((page, changed))
    return found


# Inline children of live pages -----------------------------------------------------------------------


def _parent_of(child, relation):
    """The page a child row belongs to, as the object being saved when modelcluster commits it."""
    field = relation.field
    cached = child._state.fields_cache.get(field.name)
    return cached if cached is not None else Page.objects.filter(pk=getattr(child, field.attname)).first()


def _guard_child(child, relation):
    """A child row of a live page (an attachment, a new-media text, a project milestone …) is written only when
    a reviewed revision goes live; in a save that publishes nothing it may only be written back unchanged.
    (Removing a row takes something off the public site; deleting the page removes its rows: not guarded.)"""
    page = _parent_of(child, relation)
    if page is None:
        return
    mode = (_saving.get() or {}).get(id(page))
    if mode == "publish":
        return
    if mode is None and not Page.objects.filter(pk=page.pk, live=True).exists():
        return
    if mode == "plain" and not page.live:
        return
    if child.pk is not None:
        stored = type(child)._default_manager.filter(pk=child.pk).values().first()
        fields = [f for f in type(child)._meta.concrete_fields if f.name != "sort_order"]
        if stored is not None and all(_same(f, getattr(child, f.attname), stored[f.attname]) for f in fields):
            return
    raise GateRefused(
        _("《%(title)s》已发布：%(what)s须在页面中修改，保存为新版本并通过审核后才能公开。")
        % {"title": page.title, "what": type(child)._meta.verbose_name}
    )


def guard_children_of_gated_pages():
    """Connect ``_guard_child`` to every inline child model of every gated page type (at app loading)."""
    from django.apps import apps
    from django.db.models.signals import pre_save

    for model in apps.get_models():
        if not issubclass(model, GatedPageMixin):
            continue
        for relation in child_relations(model):
            child_model = relation.related_model

            def on_save(sender, instance, raw=False, relation=relation, **kwargs):
                if not raw:
                    _guard_child(instance, relation)

            uid = f"review-child-{child_model._meta.label_lower}"
            pre_save.connect(on_save, sender=child_model, weak=False, dispatch_uid=uid)


# Scheduled publishing and expiry ---------------------------------------------------------------------


def unpublish_expired_pages():
    """Take down live pages whose expiry time has passed, each on its own; one the page type's rules keep up
    (an interpretation its live policy still needs) stays, its expiry cleared and the refusal logged."""
    done, refused = 0, 0
    for page in Page.objects.filter(live=True, expire_at__lt=timezone.now()).order_by("expire_at").specific():
        try:
            with transaction.atomic():
                page.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
            done += 1
        except GateRefused as exc:
            refused += 1
            Page.objects.filter(pk=page.pk).update(expire_at=None)
            log(instance=page, action="review.expiry_refused", data={"reason": " ".join(exc.messages)[:2000]})
            logger.warning("Expiry of page %s refused: %s", page.pk, exc.messages)
    return done, refused


def publish_due_revisions():
    """Publish revisions whose approved go-live time has come, each on its own; a refusal stops only that one."""
    published, refused = 0, 0
    for revision in Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by(
        "approved_go_live_at"
    ):
        try:
            with transaction.atomic():
                revision.publish(log_action="wagtail.publish.scheduled", skip_permission_checks=True)
            published += 1
        except GateRefused as exc:
            refused += 1
            Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            page = revision.content_object
            log(
                instance=page,
                action="review.scheduled_refused",
                data={"reason": " ".join(exc.messages)[:2000]},
            )
            logger.warning("Scheduled publish of revision %s refused: %s", revision.pk, exc.messages)
    return published, refused
