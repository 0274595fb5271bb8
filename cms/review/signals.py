"""The gate's event and the refusal of submissions outside the admin (a page type's
``gate_problems``, e.g. a policy document without its interpretation).

``page_released(sender=GateRelease, release=GateRelease)`` is sent once per revision that went live through
the gate, after the transaction commits, for code that reacts to a release. The syndication outbox does not use
it: its jobs must be written in the publishing transaction itself, so it listens to the ``GateRelease`` row's
``post_save`` (``syndication/outbox.py``).
"""

from django.dispatch import Signal, receiver
from wagtail.signals import pre_page_move, workflow_submitted

page_released = Signal()


@receiver(workflow_submitted)
def refuse_submission_against_the_rules(sender, instance, user=None, **kwargs):
    """Workflow.start() runs in a transaction: raising here undoes the submission, from any caller."""
    from .gate import GateRefused, rule_problems  # the gate module imports this one (page_released)

    page = instance.content_object.specific.get_latest_revision_as_object()
    problems = rule_problems(page, submitting=True)
    if problems:
        raise GateRefused(problems)


@receiver(pre_page_move)
def refuse_move_against_the_rules(sender, instance, parent_page_before, parent_page_after, **kwargs):
    """A page type's ``gate_move_problems`` (a policy and its interpretation stay in one unit), on every path."""
    from .gate import move_problems, refusal  # the gate module imports this one (page_released)

    if parent_page_before.pk == parent_page_after.pk:
        return
    page = instance.specific
    problems = move_problems(page, parent_page_after)
    if problems:
        raise refusal(page, problems)
