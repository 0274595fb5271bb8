"""政策文件 and 政策解读 go together: 谁起草谁解读, 同步审核, 同步发布.

A policy document marked 需要政策解读 (Category.POLICY with ``needs_interpretation``) may be neither submitted nor
published until an interpretation drafted by the same unit links to it (《国务院办公厅关于全面推进政务公开工作的
意见》实施细则, 国办发〔2016〕80号: 解读方案和解读材料与文件同步组织、同步审签、同步部署). The two pass the
review gate together and go live in one action. ``DisclosureItemPage`` hands these rules to the gate through its
hooks (``gate_problems``, ``gate_companions``); the gate knows nothing of policies.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from cms.core import units
from cms.review.gate import paired_release_of

from .vocabularies import Category


def needs_interpretation(page):
    return getattr(page, "category", None) == Category.POLICY and getattr(page, "needs_interpretation", False)


def paired_interpretations(policy):
    """Interpretations drafted by the policy's own unit that link to it, live or still in draft.

    A draft's link may exist only in its latest revision (Wagtail writes draft edits to revisions), so both
    the page row and the latest revision's content are consulted, in one query.
    """
    from .models import DisclosureItemPage

    unit = units.containing(policy)
    if policy.pk is None or unit is None:
        return DisclosureItemPage.objects.none()
    return (
        DisclosureItemPage.objects.filter(
            Q(interprets_id=policy.pk) | Q(latest_revision__content__interprets=policy.pk),
            category=Category.INTERPRETATION,
            path__startswith=unit.path,
            locale_id=policy.locale_id,
        )
        .exclude(pk=policy.pk)
        .order_by("path")
    )


def pairing_problems(page, *, submitting):
    """Reasons this page may not be submitted (``submitting``) or published, by the pairing rule."""
    from .models import DisclosureItemPage

    problems = []
    if needs_interpretation(page) and not paired_interpretations(page).exists():
        problems.append(
            _(
                "政策文件须同步关联本部门起草的政策解读（谁起草谁解读），才能%(action)s："
                "请先新建“政策解读”并在“解读的政策文件”中选择本文件，或取消勾选“需要政策解读”。"
            )
            % {"action": _("提交审核") if submitting else _("发布")}
        )
    interprets_id = getattr(page, "interprets_id", None)
    if getattr(page, "category", None) == Category.INTERPRETATION and interprets_id:
        policy = DisclosureItemPage.objects.filter(pk=interprets_id).only("title", "path", "live").first()
        own, theirs = units.containing(page), units.containing(policy) if policy else None
        if policy is not None and own is not None and theirs is not None and own.pk != theirs.pk:
            problems.append(
                _("谁起草谁解读：所解读的《%(title)s》由%(dept)s起草，解读须由同一部门发布。")
                % {"title": policy.title, "dept": theirs.title}
            )
        elif policy is not None and not policy.live and submitting and not paired_release_of(page):
            problems.append(
                _("所解读的政策文件《%(title)s》尚未发布：解读随政策文件同步审核、同步发布，请提交政策文件。")
                % {"title": policy.title}
            )
    return problems


def companions(policy):
    """What passes the gate with ``policy`` and goes live with it: its paired interpretations."""
    if not needs_interpretation(policy):
        return []
    return list(paired_interpretations(policy).select_related("latest_revision"))


def unpublish_problems(interpretation):
    """An interpretation may not go down while a live policy that needs one has no other live interpretation."""
    from .models import DisclosureItemPage

    if (
        getattr(interpretation, "category", None) != Category.INTERPRETATION
        or not interpretation.interprets_id
    ):
        return []
    policy = DisclosureItemPage.objects.filter(pk=interpretation.interprets_id, live=True).first()
    if policy is None or not needs_interpretation(policy):
        return []
    others = paired_interpretations(policy).filter(live=True).exclude(pk=interpretation.pk)
    if others.exists():
        return []
    return [
        _(
            "政策文件《%(title)s》仍在公开且需要政策解读，不能单独撤下其唯一的解读："
            "请先撤下政策文件，或先发布另一篇解读。"
        )
        % {"title": policy.title}
    ]


def move_problems(page, new_parent):
    """A policy and its interpretations stay in the unit that drafted them (谁起草谁解读)."""
    from .models import DisclosureItemPage

    here, there = units.containing(page), units.containing(new_parent)
    if here is None or there is None or here.pk == there.pk:
        return []
    category = getattr(page, "category", None)
    if category == Category.POLICY and paired_interpretations(page).exists():
        partner = _("它的政策解读")
    elif category == Category.INTERPRETATION and page.interprets_id:
        policy = DisclosureItemPage.objects.filter(pk=page.interprets_id).only("title").first()
        partner = _("所解读的《%(title)s》") % {"title": policy.title} if policy else None
    else:
        partner = None
    if partner is None:
        return []
    return [
        _("谁起草谁解读：政策文件与%(partner)s须属于同一部门，不能单独移到%(unit)s。")
        % {"partner": partner, "unit": there.title}
    ]
