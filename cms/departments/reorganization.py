"""机构调整: rename, merge, split, transfer a duty, abolish — planned and previewed, then applied in one transaction.

``plan_for(reorganization)`` validates the request against the database as it is and works out everything the
operation will do: which pages move where, which public URLs change, which groups and people gain or lose
access, what each unit's 机构沿革 will say. The admin's preview shows that plan. ``run`` (the body of the Celery
task) plans again inside one transaction, with the units' rows locked, and applies it; any failure rolls all of it
back.

How the content moves, and why not with ``Page.move()``:

- A unit's subtree is relocated in bulk: the new treebeard ``path`` (after the target's last child), ``depth``
  and ``url_path`` of every page are computed in Python and written with ``bulk_update`` in batches, then each
  parent's ``numchild`` once. ``Page.move()`` costs about 20 queries per page plus Wagtail's redirect signal
  handler, which walks the moved page's descendants again (``bench/reorg.py`` measures both).
- Pages are not saved: revisions, ``live_revision`` and the review gate (``GatedPageMixin.save``) are untouched,
  and 索引号, 发布机构 and 发布日期 are never written. An item published before the change keeps the 发布机构 it
  was published under; its metadata table also names its current unit (the parent it now has).
- Every old public URL of a moved live page gets a permanent ``wagtail.contrib.redirects`` redirect to the page
  itself (not to a path), so it keeps working through later moves. Wagtail's own redirects on move
  (``WAGTAILREDIRECTS_AUTO_CREATE``) stay on for moves made in the page explorer.
- A moved page whose slug is taken under its new parent gets ``<slug>-<old unit's slug>``; the preview lists
  them, and their revisions carry the new slug so that a later publish does not bring the clash back.
- Translations follow their source: a unit's copies in other locales move their children to the target's copy
  in the same locale, and take the same status and links.

Access follows the new boundaries: groups are per unit (``permissions.py``). A rename renames the unit's groups
and collection. When a unit ceases (merge, split, abolish) its members join the successor's groups (for a split,
the targets whose rule says so), its documents and images move to the successor's collection, and its own groups
are deleted. A transfer moves content only; the target's groups reach it at once through the tree.
"""

import dataclasses
import logging
import time
from collections import Counter, defaultdict

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_unicode_slug
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, Page, PageLogEntry, Revision, Site

from cms.disclosure.models import DisclosureAttachment, DisclosureItemPage
from cms.review.gate import bypass

from .models import (
    ChangeKind,
    DepartmentHistoryEntry,
    DepartmentIndexPage,
    DepartmentKind,
    DepartmentPage,
    DepartmentStatus,
    Reorganization,
)

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
SAMPLE_SIZE = 20
EDITORS, REVIEWERS = "editors", "reviewers"
ROLE_SUFFIX = {EDITORS: "·编辑", REVIEWERS: "·审核"}
ROW_FIELDS = ("pk", "path", "depth", "url_path", "slug", "title", "live", "locale_id", "translation_key")


class ReorganizationError(ValidationError):
    """The request cannot be carried out; the message says why, in Chinese. Nothing has been changed."""


def join_names(names):
    return "、".join(str(n) for n in names)


# What is being asked: the spec, and the units it names ------------------------------------------------------


@dataclasses.dataclass
class NewUnit:
    """A unit that a merge creates; it exists as a page only once the operation runs."""

    title: str
    short_name: str
    org_code: str
    slug: str
    kind: str
    index: DepartmentIndexPage
    page: DepartmentPage | None = None

    @property
    def url_path(self):
        return f"{self.index.url_path}{self.slug}/"

    def __str__(self):
        return self.title


def resolve(unit):
    """The DepartmentPage for a unit of the plan: a NewUnit's page once it has been created."""
    return unit.page if isinstance(unit, NewUnit) else unit


@dataclasses.dataclass
class Rule:
    """A split's (or a transfer's) selection: items of these columns, with these keywords, or these pages."""

    target: DepartmentPage
    categories: list = dataclasses.field(default_factory=list)
    keywords: list = dataclasses.field(default_factory=list)
    page_ids: list = dataclasses.field(default_factory=list)
    people_follow: bool = False

    def selects(self, row, item):
        if row["pk"] in self.page_ids:
            return True
        if item is None:
            return False
        return item["category"] in self.categories or bool(set(self.keywords) & keyword_set(item["keywords"]))


def keyword_set(text):
    for sep in "，、;；":
        text = text.replace(sep, ",")
    return {kw.strip() for kw in text.split(",") if kw.strip()}


# The plan -----------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Relocation:
    """Subtrees taking a new place: the children ``roots`` of ``source`` go under ``target``.

    ``in_place``: the roots keep their tree position and only their slug changes (a unit's new URL name).
    """

    source: DepartmentPage
    target: object  # DepartmentPage or NewUnit
    roots: list
    subtrees: dict  # root pk -> [rows], the root first
    slugs: dict = dataclasses.field(default_factory=dict)  # root pk -> new slug
    in_place: bool = False

    def rows(self):
        for root in self.roots:
            yield from self.subtrees[root["pk"]]

    @property
    def page_count(self):
        return sum(len(self.subtrees[r["pk"]]) for r in self.roots)

    @property
    def live_count(self):
        return sum(1 for row in self.rows() if row["live"])

    def new_url_paths(self):
        """(root, row, new url_path) for every page of the moved subtrees."""
        parent_url = resolve(self.target).url_path if not self.in_place else None
        for root in self.roots:
            slug = self.slugs.get(root["pk"], root["slug"])
            if self.in_place:
                new_root_url = root["url_path"][: -len(root["slug"]) - 1] + f"{slug}/"
            else:
                new_root_url = f"{parent_url}{slug}/"
            for row in self.subtrees[root["pk"]]:
                yield root, row, new_root_url + row["url_path"][len(root["url_path"]) :]


@dataclasses.dataclass
class Membership:
    """One person's access change: ``user``, a member of ``group``, joins ``unit``'s group for ``role``, or
    (``unit`` None) loses that group's access when the group is deleted with its unit."""

    user: object
    group: Group
    unit: object = None  # the unit whose group they join; None: they lose this group's access
    role: str = ""

    def describe(self):
        if self.unit is None:
            return _("失去“%(group)s”的访问权限（该组随原机构撤销而删除）") % {"group": self.group.name}
        return _("加入“%(group)s”") % {"group": group_name(self.unit, self.role)}


def group_name(unit, role):
    unit = resolve(unit) or unit  # a NewUnit not created yet: the name its group will take
    group = getattr(unit, f"{role}_group", None) if isinstance(unit, DepartmentPage) else None
    return group.name if group else f"{unit.title}{ROLE_SUFFIX[role]}"


@dataclasses.dataclass
class Plan:
    record: Reorganization
    summary: str = ""
    relocations: list = dataclasses.field(default_factory=list)
    new_unit: NewUnit | None = None
    renames: list = dataclasses.field(default_factory=list)  # (unit, {field: new value})
    retirements: list = dataclasses.field(default_factory=list)  # (unit, status)
    links: list = dataclasses.field(default_factory=list)  # (predecessor, successor)
    memberships: list = dataclasses.field(default_factory=list)
    retired_groups: list = dataclasses.field(default_factory=list)
    # (source unit, {moved root pk: its target unit}, the unit that takes the rest or None)
    collections: list = dataclasses.field(default_factory=list)
    history: list = dataclasses.field(default_factory=list)  # (unit, kind, description)
    notes: list = dataclasses.field(default_factory=list)  # what else the preview should say

    @property
    def units(self):
        """Every existing unit the operation touches."""
        seen = {}
        for unit in [r.source for r in self.relocations] + [resolve(r.target) for r in self.relocations]:
            if isinstance(unit, DepartmentPage):
                seen[unit.pk] = unit
        for unit, _status in self.retirements:
            seen[unit.pk] = unit
        for unit, _changes in self.renames:
            seen[unit.pk] = unit
        for unit, _kind, _text in self.history:
            if isinstance(unit, DepartmentPage):
                seen[unit.pk] = unit
        return list(seen.values())

    @property
    def page_count(self):
        return sum(r.page_count for r in self.relocations)

    @property
    def live_count(self):
        return sum(r.live_count for r in self.relocations)

    def url_changes(self, limit=None):
        """(old URL, new URL) of each moved live page, at most ``limit`` of them."""
        urls = PublicUrls()
        count = 0
        for relocation in self.relocations:
            for _root, row, new_url_path in relocation.new_url_paths():
                if not row["live"]:
                    continue
                for site_id, old_path in urls.paths(row["url_path"]):
                    new_path = dict(urls.paths(new_url_path)).get(site_id)
                    yield old_path, new_path
                    count += 1
                    if limit is not None and count >= limit:
                        return

    def slug_changes(self):
        return [
            (root["title"], root["slug"], relocation.slugs[root["pk"]], relocation)
            for relocation in self.relocations
            if not relocation.in_place
            for root in relocation.roots
            if root["pk"] in relocation.slugs
        ]


# Public URLs of url_paths ---------------------------------------------------------------------------------------


class PublicUrls:
    """The public paths of a url_path on each site, as Wagtail's ``get_url_parts`` builds them (the site root's
    language prefix included); ``Redirect.normalise_path`` of them is what a redirect stores."""

    def __init__(self):
        self.roots = Site.get_site_root_paths()  # most specific root first
        self.prefixes = {}
        for srp in self.roots:
            if srp.language_code not in self.prefixes:
                with translation.override(srp.language_code):
                    self.prefixes[srp.language_code] = reverse("wagtail_serve", args=("",))

    def paths(self, url_path):
        found, sites = [], set()
        for srp in self.roots:
            if srp.site_id in sites or not url_path.startswith(srp.root_path):
                continue
            sites.add(srp.site_id)
            found.append((srp.site_id, self.prefixes[srp.language_code] + url_path[len(srp.root_path) :]))
        return found


# Planning ---------------------------------------------------------------------------------------------------------


def _units(ids, *, lock=False):
    queryset = DepartmentPage.objects.filter(pk__in=[int(i) for i in ids if i is not None]).select_related(
        "editors_group", "reviewers_group", "collection", "locale"
    )
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return {unit.pk: unit for unit in queryset}


def _unit(units, pk, label):
    unit = units.get(int(pk)) if pk is not None else None
    if unit is None:
        raise ReorganizationError(_("%(label)s不存在或不是机构。") % {"label": label})
    return unit


def _check_active(unit, label=None):
    if not unit.live or unit.status != DepartmentStatus.ACTIVE:
        raise ReorganizationError(
            _("%(label)s“%(title)s”%(status)s，不能再调整。")
            % {"label": label or _("机构"), "title": unit.title, "status": unit.get_status_display()}
            if unit.status != DepartmentStatus.ACTIVE
            else _("机构“%(title)s”尚未发布，不能调整。") % {"title": unit.title}
        )
    if unit.is_translation:
        raise ReorganizationError(_("请在中文版机构上办理调整，译本会随之调整。"))


def _check_target(target_pk, sources, units):
    """The unit that receives content: not one of the sources, not below one, a live active unit."""
    target_pk = int(target_pk)
    for source in sources:
        if target_pk == source.pk:
            raise ReorganizationError(_("不能把“%(title)s”并入（划入）其自身。") % {"title": source.title})
    page = Page.objects.filter(pk=target_pk).only("path", "title").first()
    if page is None:
        raise ReorganizationError(_("承接机构不存在。"))
    for source in sources:
        if page.path.startswith(source.path):
            raise ReorganizationError(
                _("不能把“%(title)s”并入（划入）其下级页面“%(child)s”。")
                % {"title": source.title, "child": page.title}
            )
    target = units.get(target_pk) or _units([target_pk]).get(target_pk)
    if target is None:
        raise ReorganizationError(_("承接对象“%(title)s”不是机构。") % {"title": page.title})
    _check_active(target, _("承接机构"))
    return target


def check_names(*, title, short_name, org_code, slug, index, unit=None, groups=(), ceasing=()):
    """A unit's new identity must be valid and unused: its full and short name, 组织机构代码, URL name, and the
    names its groups will take. The code of a unit that ceases in the same operation (``ceasing``) may be
    taken over by the unit that succeeds it."""
    errors = {}
    others = DepartmentPage.objects.filter(locale_id=index.locale_id)
    if unit is not None:
        others = others.exclude(translation_key=unit.translation_key)
    if not title.strip():
        errors["title"] = _("请填写机构全称。")
    elif others.filter(title=title).exists():
        errors["title"] = _("机构名称“%(name)s”已被其他机构使用。") % {"name": title}
    if not short_name.strip():
        errors["short_name"] = _("请填写机构简称。")
    elif others.filter(short_name=short_name).exists():
        errors["short_name"] = _("机构简称“%(name)s”已被其他机构使用。") % {"name": short_name}
    field = DepartmentPage._meta.get_field("org_code")
    try:
        field.clean(org_code, None)
    except ValidationError as exc:
        errors["org_code"] = "；".join(exc.messages)
    else:
        user = (
            others.filter(org_code=org_code)
            .exclude(translation_key__in=[u.translation_key for u in ceasing])
            .first()
        )
        if user is not None:
            errors["org_code"] = _("组织机构代码 %(code)s 已被“%(name)s”使用。") % {
                "code": org_code,
                "name": user.title,
            }
    try:
        validate_unicode_slug(slug)
    except ValidationError:
        errors["slug"] = _("网址名称只能包含字母、数字、汉字、下划线和连字符。")
    else:
        siblings = Page.objects.child_of(index).filter(slug=slug)
        if unit is not None:
            siblings = siblings.exclude(pk=unit.pk)
        if siblings.exists():
            errors["slug"] = _("网址名称“%(slug)s”已被同级页面使用。") % {"slug": slug}
    clash = Group.objects.filter(name__in=[f"{title}{s}" for s in ROLE_SUFFIX.values()]).exclude(
        pk__in=[g.pk for g in groups if g is not None]
    )
    if "title" not in errors and clash.exists():
        errors["title"] = _("用户组“%(name)s”已存在，请换用其他名称或先处理该用户组。") % {
            "name": clash.first().name
        }
    if errors:
        raise ReorganizationError(errors)


def child_paths(parent, count):
    """treebeard materialised paths for ``count`` new children of ``parent``, after its last child."""
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = Page._str2int(last[-Page.steplen :]) if last else 0
    return [Page._get_path(parent.path, parent.depth + 1, step + n) for n in range(1, count + 1)]


def _children(unit):
    """The unit's subtree below it, as rows: ``(roots, {root pk: [rows, root first]})`` in tree order."""
    roots, subtrees = [], {}
    current = None
    for row in (
        Page.objects.filter(path__startswith=unit.path, depth__gt=unit.depth)
        .order_by("path")
        .values(*ROW_FIELDS)
    ):
        if row["depth"] == unit.depth + 1:
            current = row
            roots.append(row)
            subtrees[row["pk"]] = [row]
        else:
            subtrees[current["pk"]].append(row)
    return roots, subtrees


class Planner:
    """Builds the Plan of one reorganization."""

    def __init__(self, record, *, lock=False):
        self.record = record
        self.spec = record.spec or {}
        self.lock = lock
        self.plan = Plan(record)
        self.taken_slugs = {}  # target -> slugs taken (already there, or by an earlier relocation)

    def build(self):
        builder = {
            ChangeKind.RENAME: self.rename,
            ChangeKind.MERGE: self.merge,
            ChangeKind.SPLIT: self.split,
            ChangeKind.TRANSFER: self.transfer,
            ChangeKind.ABOLISH: self.abolish,
        }.get(self.record.kind)
        if builder is None:
            raise ReorganizationError(_("未知的调整类型。"))
        if not (self.record.document_number or "").strip():
            raise ReorganizationError({"document_number": _("请填写调整依据的文号。")})
        builder()
        return self.plan

    # Helpers ------------------------------------------------------------------------------------------------

    def units(self, *ids):
        return _units(ids, lock=self.lock)

    def copies(self, unit):
        """The unit's pages in every locale, keyed by locale id."""
        return {
            page.locale_id: page
            for page in DepartmentPage.objects.filter(translation_key=unit.translation_key).select_related(
                "locale"
            )
        }

    def free_slug(self, target, slug, source):
        """``slug``, or ``<slug>-<source's slug>`` when the target already has (or will have) a child with it."""
        key = target.pk if isinstance(target, DepartmentPage) else id(target)
        taken = self.taken_slugs.get(key)
        if taken is None:
            taken = set()
            if isinstance(target, DepartmentPage):
                taken = set(Page.objects.child_of(target).values_list("slug", flat=True))
            self.taken_slugs[key] = taken
        new = slug
        if new in taken:
            new = f"{slug}-{source.slug}"
            n = 2
            while new in taken:
                new = f"{slug}-{source.slug}-{n}"
                n += 1
        taken.add(new)
        return new

    def relocate(self, source, target, *, selected_keys=None):
        """Move ``source``'s children (those whose translation_key is in ``selected_keys``, or all) to
        ``target``, and do the same for the source's translations into the target's translations."""
        target_copies = self.copies(target) if isinstance(target, DepartmentPage) else {}
        moved = 0
        for locale_id, source_copy in sorted(self.copies(source).items(), key=lambda c: c[1].pk != source.pk):
            roots, subtrees = _children(source_copy)
            if selected_keys is not None:
                roots = [r for r in roots if r["translation_key"] in selected_keys]
            if not roots:
                continue
            target_copy = target if source_copy.pk == source.pk else target_copies.get(locale_id)
            if target_copy is None:
                raise ReorganizationError(
                    _(
                        "“%(source)s”的%(locale)s版有%(n)d个页面，但“%(target)s”没有%(locale)s版：请先翻译承接机构。"
                    )
                    % {
                        "source": source.title,
                        "locale": source_copy.locale.get_display_name(),
                        "n": len(roots),
                        "target": target.title,
                    }
                )
            relocation = Relocation(source_copy, target_copy, roots, subtrees)
            for root in roots:
                slug = self.free_slug(target_copy, root["slug"], source_copy)
                if slug != root["slug"]:
                    relocation.slugs[root["pk"]] = slug
            self.plan.relocations.append(relocation)
            moved += len(roots)
        return moved

    def retire(self, unit, status, successors=()):
        """The unit ceases: it takes ``status``, the successors list it as a predecessor, and its people follow."""
        self.plan.retirements.append((unit, status))
        for successor in successors:
            self.plan.links.append((unit, successor))
        self.plan.retired_groups += [g for g in (unit.editors_group, unit.reviewers_group) if g is not None]

    def members_follow(self, source, target):
        for role in (EDITORS, REVIEWERS):
            group = getattr(source, f"{role}_group")
            if group is None:
                continue
            for user in group.user_set.order_by("username"):
                self.plan.memberships.append(Membership(user, group, target, role))

    def members_leave(self, source):
        joined = {(m.user.pk, m.group.pk) for m in self.plan.memberships}
        for role in (EDITORS, REVIEWERS):
            group = getattr(source, f"{role}_group")
            if group is None:
                continue
            for user in group.user_set.order_by("username"):
                if (user.pk, group.pk) not in joined:
                    self.plan.memberships.append(Membership(user, group))

    def history(self, unit, kind, text):
        self.plan.history.append((unit, kind, text))

    # The operations -----------------------------------------------------------------------------------------------

    def rename(self):
        spec = self.spec
        units = self.units(spec.get("unit"))
        unit = _unit(units, spec.get("unit"), _("要更名的机构"))
        _check_active(unit)
        index = unit.get_parent()
        values = {
            "title": (spec.get("title") or "").strip(),
            "short_name": (spec.get("short_name") or "").strip(),
            "org_code": (spec.get("org_code") or unit.org_code).strip().upper(),
            "slug": (spec.get("slug") or unit.slug).strip(),
        }
        check_names(**values, index=index, unit=unit, groups=(unit.editors_group, unit.reviewers_group))
        changes = {k: v for k, v in values.items() if v != getattr(unit, k)}
        if not changes:
            raise ReorganizationError(_("新的名称、简称、代码和网址名称与现在相同，没有需要更名的内容。"))
        self.plan.renames.append((unit, changes))
        if "slug" in changes:
            roots, subtrees = _children(unit)
            row = dict(
                pk=unit.pk,
                path=unit.path,
                depth=unit.depth,
                url_path=unit.url_path,
                slug=unit.slug,
                title=unit.title,
                live=unit.live,
                locale_id=unit.locale_id,
                translation_key=unit.translation_key,
            )
            subtree = [row] + [r for root in roots for r in subtrees[root["pk"]]]
            self.plan.relocations.append(
                Relocation(unit, index, [row], {unit.pk: subtree}, {unit.pk: changes["slug"]}, in_place=True)
            )
        new_title = changes.get("title", unit.title)
        text = _("“%(old)s”更名为“%(new)s”") % {"old": unit.title, "new": new_title}
        if "short_name" in changes:
            text += _("，简称“%(short)s”") % {"short": changes["short_name"]}
        if "org_code" in changes:
            text += _("，组织机构代码由%(old)s变更为%(new)s") % {
                "old": unit.org_code,
                "new": changes["org_code"],
            }
        self.history(unit, ChangeKind.RENAME, text)
        self.plan.summary = text
        if "title" in changes:
            self.plan.notes.append(
                _(
                    "用户组和文档集合随之更名：%(groups)s。已发布信息的“发布机构”保持原名称，并显示现机构名称。"
                )
                % {
                    "groups": join_names(
                        f"{g.name} → {new_title}{ROLE_SUFFIX[r]}"
                        for g, r in ((unit.editors_group, EDITORS), (unit.reviewers_group, REVIEWERS))
                        if g is not None
                    )
                }
            )
        if "org_code" in changes:
            self.plan.notes.append(_("此后发布的信息使用新代码生成索引号；已发布信息的索引号不变。"))
        if len(self.copies(unit)) > 1:
            self.plan.notes.append(_("其他语言版本的名称请在翻译中更新。"))

    def merge(self):
        spec = self.spec
        source_ids = [int(s) for s in spec.get("sources") or []]
        if not source_ids:
            raise ReorganizationError({"sources": _("请选择要合并的机构。")})
        if len(set(source_ids)) != len(source_ids):
            raise ReorganizationError({"sources": _("同一机构选择了两次。")})
        units = self.units(*source_ids, spec.get("target"))
        sources = [_unit(units, pk, _("要合并的机构")) for pk in source_ids]
        for source in sources:
            _check_active(source)
        if spec.get("target") is not None:
            target = _check_target(spec["target"], sources, units)
        else:
            new = spec.get("new_unit") or {}
            index = sources[0].get_parent().specific
            target = NewUnit(
                title=(new.get("title") or "").strip(),
                short_name=(new.get("short_name") or "").strip(),
                org_code=(new.get("org_code") or "").strip().upper(),
                slug=(new.get("slug") or "").strip(),
                kind=new.get("kind") or sources[0].kind,
                index=index,
            )
            if target.kind not in DepartmentKind.values:
                raise ReorganizationError({"kind": _("机构类别无效。")})
            if len(sources) < 2:
                raise ReorganizationError(
                    {"sources": _("合并组建新机构至少需要两个原机构；单个机构请使用“更名”。")}
                )
            check_names(
                title=target.title,
                short_name=target.short_name,
                org_code=target.org_code,
                slug=target.slug,
                index=index,
                ceasing=sources,
            )
            self.plan.new_unit = target
            for source in sources:
                for copy in self.copies(source).values():
                    if copy.pk != source.pk and copy.numchild:
                        raise ReorganizationError(
                            _(
                                "“%(source)s”的%(locale)s版有内容，新机构还没有译本：请先并入已有机构，或先移走译本内容。"
                            )
                            % {"source": source.title, "locale": copy.locale.get_display_name()}
                        )
        names = join_names(s.title for s in sources)
        for source in sources:
            self.relocate(source, target)
            self.retire(source, DepartmentStatus.MERGED, successors=[target])
            self.members_follow(source, target)
            self.history(source, ChangeKind.MERGE, _("整体并入%(target)s") % {"target": target.title})
            self.plan.collections.append((source, {}, target))
        if self.plan.new_unit:
            self.history(target, ChangeKind.MERGE, _("由%(names)s合并组建") % {"names": names})
            self.plan.summary = _("%(names)s合并组建%(target)s") % {"names": names, "target": target.title}
        else:
            self.history(target, ChangeKind.MERGE, _("%(names)s并入本机构") % {"names": names})
            self.plan.summary = _("%(names)s并入%(target)s") % {"names": names, "target": target.title}

    def _rules(self, source, units):
        rules = []
        for n, raw in enumerate(self.spec.get("rules") or [], start=1):
            if raw.get("target") is None:
                raise ReorganizationError(_("第%(n)d条规则没有选择承接机构。") % {"n": n})
            target = _check_target(raw["target"], [source], units)
            rule = Rule(
                target=target,
                categories=list(raw.get("categories") or []),
                keywords=[k for k in raw.get("keywords") or [] if k],
                page_ids=[int(p) for p in raw.get("pages") or []],
                people_follow=bool(raw.get("people_follow")),
            )
            if not (rule.categories or rule.keywords or rule.page_ids):
                raise ReorganizationError(_("第%(n)d条规则没有选择任何栏目、关键词或信息。") % {"n": n})
            rules.append(rule)
        return rules

    def _assign(self, source, rules):
        """{root pk: rule} by the first rule that selects each child, with the child rows and item fields."""
        roots, _subtrees = _children(source)
        items = {
            row["pk"]: row
            for row in DisclosureItemPage.objects.filter(pk__in=[r["pk"] for r in roots]).values(
                "pk", "category", "keywords", "interprets_id"
            )
        }
        known = {r["pk"] for r in roots}
        for rule in rules:
            stray = [pk for pk in rule.page_ids if pk not in known]
            if stray:
                raise ReorganizationError(
                    _("所选信息（页面ID %(ids)s）不在“%(source)s”之下。")
                    % {"ids": join_names(stray[:10]), "source": source.title}
                )
        assigned = {}
        for root in roots:
            rule = next((r for r in rules if r.selects(root, items.get(root["pk"]))), None)
            if rule is not None:
                assigned[root["pk"]] = rule
        return roots, items, assigned

    def _check_pairs(self, roots, items, assigned, source):
        """谁起草谁解读: a policy and its interpretation stay in the same unit."""
        titles = {r["pk"]: r["title"] for r in roots}
        problems = []
        for pk, item in items.items():
            policy = item["interprets_id"]
            if policy not in titles:
                continue
            here, there = assigned.get(pk), assigned.get(policy)
            if (here.target.pk if here else None) != (there.target.pk if there else None):
                problems.append(f"《{titles[policy]}》与《{titles[pk]}》")
        if problems:
            raise ReorganizationError(
                _("政策文件与其解读须划入同一机构（谁起草谁解读），请一并选择：%(pairs)s")
                % {"pairs": join_names(problems[:10])}
            )

    def split(self):
        spec = self.spec
        rule_targets = [r.get("target") for r in spec.get("rules") or []]
        units = self.units(spec.get("source"), *rule_targets)
        source = _unit(units, spec.get("source"), _("要拆分的机构"))
        _check_active(source)
        rules = self._rules(source, units)
        targets = list({r.target.pk: r.target for r in rules}.values())
        if len(targets) < 2:
            raise ReorganizationError(
                _("拆分至少需要两个承接机构；全部划入一个机构请使用“合并”或“撤销”（指定承接机构）。")
            )
        roots, items, assigned = self._assign(source, rules)
        unassigned = [r for r in roots if r["pk"] not in assigned]
        if unassigned:
            raise ReorganizationError(
                _("拆分后仍有%(n)d个页面未分配承接机构，例如：%(titles)s。请补充规则，使每条信息都有去向。")
                % {"n": len(unassigned), "titles": join_names(f"《{r['title']}》" for r in unassigned[:5])}
            )
        self._check_pairs(roots, items, assigned, source)
        counts = Counter()
        for target in targets:
            keys = {r["translation_key"] for r in roots if assigned[r["pk"]].target.pk == target.pk}
            counts[target.pk] = self.relocate(source, target, selected_keys=keys)
        self.retire(source, DepartmentStatus.SPLIT, successors=targets)
        for rule in rules:
            if rule.people_follow:
                self.members_follow(source, rule.target)
        self.members_leave(source)
        by_item = {r["pk"]: assigned[r["pk"]].target for r in roots}
        self.plan.collections.append((source, by_item, targets[0]))
        names = join_names(t.title for t in targets)
        self.history(source, ChangeKind.SPLIT, _("拆分，职责和信息分别划入%(names)s") % {"names": names})
        for target in targets:
            self.history(
                target,
                ChangeKind.SPLIT,
                _("承接%(source)s拆分划入的职责和信息（%(n)d个页面）")
                % {"source": source.title, "n": counts[target.pk]},
            )
        self.plan.summary = _("%(source)s拆分，职责和信息划入%(names)s") % {
            "source": source.title,
            "names": names,
        }

    def transfer(self):
        spec = self.spec
        units = self.units(spec.get("source"), spec.get("target"))
        source = _unit(units, spec.get("source"), _("划出职责的机构"))
        _check_active(source)
        if spec.get("target") is None:
            raise ReorganizationError({"target": _("请选择承接职责的机构。")})
        target = _check_target(spec["target"], [source], units)
        duty = (spec.get("duty") or "").strip()
        if not duty:
            raise ReorganizationError({"duty": _("请写明划转的职责。")})
        rule = Rule(
            target=target,
            categories=list(spec.get("categories") or []),
            keywords=[k for k in spec.get("keywords") or [] if k],
            page_ids=[int(p) for p in spec.get("pages") or []],
        )
        roots, items, assigned = self._assign(source, [rule])
        if not assigned:
            raise ReorganizationError(
                _("所选栏目、关键词或信息在“%(source)s”中没有对应内容。") % {"source": source.title}
            )
        self._check_pairs(roots, items, assigned, source)
        keys = {r["translation_key"] for r in roots if r["pk"] in assigned}
        moved = self.relocate(source, target, selected_keys=keys)
        self.plan.collections.append((source, dict.fromkeys(assigned, target), None))
        self.history(
            source,
            ChangeKind.TRANSFER,
            _("“%(duty)s”职责划转至%(target)s") % {"duty": duty, "target": target.title},
        )
        self.history(
            target,
            ChangeKind.TRANSFER,
            _("承接%(source)s划入的“%(duty)s”职责和信息（%(n)d个页面）")
            % {"source": source.title, "duty": duty, "n": moved},
        )
        self.plan.notes.append(
            _("人员不随职责调整：“%(target)s”的编辑、审核人员即可处理划入的信息，“%(source)s”的人员不再能访问这些信息；"
              "如需调整个人权限，请在“用户组”中办理。两个机构的“主要职责”请在各自页面中修改并送审。")
            % {"target": target.title, "source": source.title}
        )  # fmt: skip
        self.plan.summary = _("%(source)s的“%(duty)s”职责划转至%(target)s") % {
            "source": source.title,
            "duty": duty,
            "target": target.title,
        }

    def abolish(self):
        spec = self.spec
        units = self.units(spec.get("unit"), spec.get("successor"))
        unit = _unit(units, spec.get("unit"), _("要撤销的机构"))
        _check_active(unit)
        if spec.get("successor") is not None:
            successor = _check_target(spec["successor"], [unit], units)
            self.relocate(unit, successor)
            self.retire(unit, DepartmentStatus.ABOLISHED, successors=[successor])
            self.members_follow(unit, successor)
            self.plan.collections.append((unit, {}, successor))
            self.history(
                unit,
                ChangeKind.ABOLISH,
                _("撤销，职责和信息由%(successor)s承接") % {"successor": successor.title},
            )
            self.history(
                successor, ChangeKind.ABOLISH, _("承接已撤销的%(unit)s的职责和信息") % {"unit": unit.title}
            )
            self.plan.summary = _("撤销%(unit)s，职责和信息由%(successor)s承接") % {
                "unit": unit.title,
                "successor": successor.title,
            }
        else:
            self.retire(unit, DepartmentStatus.ABOLISHED)
            self.members_leave(unit)
            self.history(unit, ChangeKind.ABOLISH, _("撤销，已发布的信息在本机构页面存档"))
            self.plan.summary = _("撤销%(unit)s，已发布信息存档") % {"unit": unit.title}
            self.plan.notes.append(
                _(
                    "存档：信息留在原机构页面下，网址不变，只读（仅超级管理员可修改），目录中列于“已撤销机构”。"
                )
            )


def plan_for(record, *, lock=False):
    """The plan of ``record`` against the current database; raises ReorganizationError for bad input."""
    return Planner(record, lock=lock).build()


# Carrying it out ---------------------------------------------------------------------------------------------------


class Progress:
    """The running operation's progress, written where the admin can read it while the transaction is open.

    On PostgreSQL each update goes through a second connection in autocommit, so it is visible at once. The
    main transaction writes the reorganization's own row only at its very end, after the last progress update,
    so the two connections never wait on each other (rows that reference it take only a key-share lock).

    SQLite allows one writer at a time: a second connection would wait for the main transaction's lock. There
    the progress is coarse — the totals and step written just before the transaction, the result at its end —
    and the admin's progress page shows the operation as running (reads are not blocked; see README).
    """

    def __init__(self, record, min_interval=0.5):
        self.record_id = record.pk
        self.min_interval = min_interval
        self.last = 0.0
        self.side = None
        if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        meta = Reorganization._meta
        quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
        self.sql = "UPDATE {} SET {} = %s, {} = %s, {} = %s WHERE {} = %s".format(
            quote(meta.db_table),
            *(quote(meta.get_field(f).column) for f in ("progress_step", "progress_done", "progress_total")),
            quote(meta.pk.column),
        )

    def __call__(self, step, done, total, force=False):
        if self.side is None:
            return
        now = time.monotonic()
        if not force and done < total and now - self.last < self.min_interval:
            return
        self.last = now
        with self.side.cursor() as cursor:
            cursor.execute(self.sql, [str(step)[:120], done, total, self.record_id])

    def close(self):
        if self.side is not None:
            self.side.close()


@dataclasses.dataclass
class Moved:
    pk: int
    title: str
    old_url_path: str
    new_url_path: str
    live: bool
    root: bool
    source: DepartmentPage
    target: DepartmentPage


class Executor:
    """Applies a Plan; runs inside the caller's transaction."""

    def __init__(self, plan, progress=None):
        self.plan = plan
        self.record = plan.record
        self.progress = progress or (lambda *args, **kwargs: None)
        self.user = self.record.confirmed_by or self.record.created_by
        self.now = timezone.now()
        self.moved = []
        self.result = Counter()
        # Progress in units of work: each page moved, then each old URL redirected.
        self.total, self.done = work_units(plan), 0

    def report(self, step, force=False):
        self.progress(step, min(self.done, self.total), self.total, force=force)

    def apply(self):
        if self.plan.new_unit is not None:
            self.create_unit(self.plan.new_unit)
        for relocation in self.plan.relocations:
            self.relocate(relocation)
        self.rename_units()
        self.create_redirects()
        self.log_moves()
        self.retire_units()
        self.change_access()
        self.record_history()
        self.done = self.total
        self.report(_("完成"), force=True)
        return self.summary()

    # The units -------------------------------------------------------------------------------------------------

    def reason(self):
        return (
            _("机构调整：%(summary)s（%(number)s）")
            % {
                "summary": self.plan.summary,
                "number": self.record.document_number,
            }
        )[:300]

    def create_unit(self, new):
        """The merge's new unit, published as a recorded bypass of the gate: it is the administrator's act
        under the cited 文号, and the gate's automated checks still run on it."""
        sources = [unit for unit, _status in self.plan.retirements]  # the units merged into it
        first = sources[0] if sources else None
        duties = "".join(source.duties for source in sources)
        page = DepartmentPage(
            title=new.title,
            short_name=new.short_name,
            org_code=new.org_code,
            slug=new.slug,
            kind=new.kind,
            duties=duties,
            address=first.address if first else "",
            office_hours=first.office_hours if first else "",
            phone=first.phone if first else "",
            live=False,
        )
        new.index.add_child(instance=page)
        with bypass(self.reason(), self.user, pages=[page]):
            page.save_revision(user=self.user, log_action=True).publish(user=self.user)
        new.page = DepartmentPage.objects.select_related(
            "editors_group", "reviewers_group", "collection"
        ).get(pk=page.pk)
        self.result["units_created"] += 1

    def rename_units(self):
        for unit, changes in self.plan.renames:
            fields = {k: v for k, v in changes.items() if k in ("title", "short_name", "slug")}
            if "title" in fields:
                fields["draft_title"] = fields["title"]
            DepartmentPage.objects.filter(pk=unit.pk).update(**fields)
            if "org_code" in changes:
                DepartmentPage.objects.filter(translation_key=unit.translation_key).update(
                    org_code=changes["org_code"]
                )
            if "title" in changes:
                for group, role in ((unit.editors_group, EDITORS), (unit.reviewers_group, REVIEWERS)):
                    if group is not None:
                        Group.objects.filter(pk=group.pk).update(
                            name=f"{changes['title']}{ROLE_SUFFIX[role]}"
                        )
                if unit.collection_id:
                    Collection.objects.filter(pk=unit.collection_id).update(name=changes["title"])
            self.result["units_renamed"] += 1

    def retire_units(self):
        for unit, status in self.plan.retirements:
            DepartmentPage.objects.filter(translation_key=unit.translation_key).update(status=status)
        through = DepartmentPage.predecessors.through
        links = []
        for predecessor, successor in self.plan.links:
            successor = resolve(successor)
            successors = {
                p.locale_id: p.pk
                for p in DepartmentPage.objects.filter(translation_key=successor.translation_key)
            }
            for page in DepartmentPage.objects.filter(translation_key=predecessor.translation_key):
                if page.locale_id in successors:
                    links.append(
                        through(
                            from_departmentpage_id=successors[page.locale_id], to_departmentpage_id=page.pk
                        )
                    )
        through.objects.bulk_create(links, ignore_conflicts=True)
        self.result["units_retired"] = len(self.plan.retirements)

    # Pages ------------------------------------------------------------------------------------------------------

    def relocate(self, relocation):
        target = resolve(relocation.target)
        if relocation.in_place:
            new_paths = {root["pk"]: root["path"] for root in relocation.roots}
            depth_shift = 0
        else:
            paths = child_paths(target, len(relocation.roots))
            new_paths = {root["pk"]: path for root, path in zip(relocation.roots, paths, strict=True)}
            depth_shift = target.depth + 1 - relocation.roots[0]["depth"]
        renamed = []
        batch = []
        for root, row, new_url_path in relocation.new_url_paths():
            page = Page(
                pk=row["pk"],
                path=new_paths[root["pk"]] + row["path"][len(root["path"]) :],
                depth=row["depth"] + depth_shift,
                url_path=new_url_path,
            )
            batch.append(page)
            if row["pk"] in relocation.slugs and not relocation.in_place:  # a unit's own slug: rename_units
                page.slug = relocation.slugs[row["pk"]]
                renamed.append(page)
            self.moved.append(
                Moved(
                    row["pk"],
                    row["title"],
                    row["url_path"],
                    new_url_path,
                    row["live"],
                    row["pk"] == root["pk"] and not relocation.in_place,
                    relocation.source,
                    target,
                )
            )
            if len(batch) >= BATCH_SIZE:
                self._write(batch, relocation.in_place)
                batch = []
        self._write(batch, relocation.in_place)
        if renamed:
            Page.objects.bulk_update(renamed, ["slug"], batch_size=BATCH_SIZE)
            self.rename_slugs_in_revisions({p.pk: p.slug for p in renamed})
        if not relocation.in_place:
            moved = len(relocation.roots)
            Page.objects.filter(pk=relocation.source.pk).update(numchild=F("numchild") - moved)
            Page.objects.filter(pk=target.pk).update(numchild=F("numchild") + moved)

    def _write(self, batch, in_place):
        if batch:
            fields = ["url_path"] if in_place else ["path", "depth", "url_path"]
            Page.objects.bulk_update(batch, fields, batch_size=BATCH_SIZE)
            self.done += len(batch)
            self.report(_("移动页面"))

    def rename_slugs_in_revisions(self, slugs):
        """A renamed page's revisions carry the new slug, so that publishing one does not bring the clash back."""
        revisions = list(
            Revision.page_revisions.filter(object_id__in=[str(pk) for pk in slugs]).only(
                "object_id", "content"
            )
        )
        for revision in revisions:
            revision.content["slug"] = slugs[int(revision.object_id)]
        Revision.objects.bulk_update(revisions, ["content"], batch_size=BATCH_SIZE)

    def create_redirects(self):
        """A permanent redirect from every old public URL of a moved live page to the page."""
        urls = PublicUrls()
        wanted = {}
        for moved in self.moved:
            if not moved.live or moved.old_url_path == moved.new_url_path:
                continue
            for site_id, old_path in urls.paths(moved.old_url_path):
                wanted[(site_id, Redirect.normalise_path(old_path))] = moved.pk
        keys = list(wanted)
        kept, created = 0, 0
        for offset in range(0, len(keys), BATCH_SIZE):
            chunk = keys[offset : offset + BATCH_SIZE]
            existing = Redirect.objects.filter(old_path__in={path for _site, path in chunk}).values_list(
                "pk", "site_id", "old_path", "automatically_created"
            )
            stale, manual = [], set()
            for pk, site_id, old_path, automatic in existing:
                if (site_id, old_path) in wanted:
                    if automatic:
                        stale.append(pk)
                    else:
                        manual.add((site_id, old_path))
            if stale:
                Redirect.objects.filter(pk__in=stale).delete()
            new = [
                Redirect(
                    old_path=old_path,
                    site_id=site_id,
                    redirect_page_id=wanted[(site_id, old_path)],
                    is_permanent=True,
                    automatically_created=True,
                )
                for site_id, old_path in chunk
                if (site_id, old_path) not in manual
            ]
            Redirect.objects.bulk_create(new, batch_size=BATCH_SIZE)
            kept += len(manual)
            created += len(new)
            self.done += len(chunk)
            self.report(_("创建重定向"))
        self.result["redirects"] = created
        self.result["redirects_kept"] = kept

    def log_moves(self):
        """Each moved page's history says where it went, as Wagtail's own move does (one entry per moved page,
        not per descendant), in bulk."""
        content_types = dict(
            Page.objects.filter(pk__in=[m.pk for m in self.moved if m.root]).values_list(
                "pk", "content_type_id"
            )
        )
        entries = [
            PageLogEntry(
                page_id=m.pk,
                content_type_id=content_types[m.pk],
                label=m.title,
                action="wagtail.move" if m.old_url_path != m.new_url_path else "wagtail.reorder",
                data={
                    "source": {"id": m.source.pk, "title": m.source.title},
                    "destination": {"id": m.target.pk, "title": m.target.title},
                    "reorganization": self.record.pk,
                },
                user=self.user,
                timestamp=self.now,
                content_changed=False,
            )
            for m in self.moved
            if m.root and m.source.pk != m.target.pk
        ]
        PageLogEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)

    # Access ----------------------------------------------------------------------------------------------------

    def change_access(self):
        User = get_user_model()
        through = User.groups.through
        joins = []
        for m in self.plan.memberships:
            if m.unit is not None:
                group = getattr(resolve(m.unit), f"{m.role}_group")
                if group is not None:
                    joins.append(through(user_id=m.user.pk, group_id=group.pk))
        through.objects.bulk_create(joins, ignore_conflicts=True)
        self.result["people_joined"] = len(joins)
        for source, by_item, default in self.plan.collections:
            self.move_collection(source, by_item, resolve(default) if default is not None else None)
        retired = [g.pk for g in self.plan.retired_groups]
        if retired:
            self.result["people_left"] = through.objects.filter(group_id__in=retired).count()
            Group.objects.filter(pk__in=retired).delete()
        self.report(_("调整权限"), force=True)

    def move_collection(self, source, by_item, default):
        """The source's documents follow the items that attach them (or go to ``default``); its images go to
        ``default``. A collection left empty by a unit that ceased is deleted."""
        if not source.collection_id:
            return
        Document, Image = get_document_model(), get_image_model()
        documents = Document.objects.filter(collection_id=source.collection_id)
        if by_item:
            owners = defaultdict(set)
            for document_id, page_id in DisclosureAttachment.objects.filter(
                document__collection_id=source.collection_id
            ).values_list("document_id", "page_id"):
                owners[document_id].add(by_item.get(page_id))
            destinations = defaultdict(list)
            for document_id, units in owners.items():
                if len(units) == 1 and None not in units:
                    destinations[next(iter(units)).pk].append(document_id)
            targets = {u.pk: u for u in by_item.values()}
            for unit_pk, ids in destinations.items():
                collection_id = resolve(targets[unit_pk]).collection_id
                if collection_id:
                    moved = Document.objects.filter(pk__in=ids).update(collection_id=collection_id)
                    self.result["documents_moved"] += moved
        if default is not None and default.collection_id:
            self.result["documents_moved"] += documents.update(collection_id=default.collection_id)
            Image.objects.filter(collection_id=source.collection_id).update(
                collection_id=default.collection_id
            )
            collection = Collection.objects.get(pk=source.collection_id)
            if not collection.get_children().exists():
                collection.delete()

    # History --------------------------------------------------------------------------------------------------

    def record_history(self):
        record = self.record
        DepartmentHistoryEntry.objects.bulk_create(
            [
                DepartmentHistoryEntry(
                    department=resolve(unit),
                    kind=kind,
                    effective_date=record.effective_date,
                    document_number=record.document_number,
                    description=text,
                    reorganization=record,
                )
                for unit, kind, text in self.plan.history
            ]
        )
        for unit, _kind, text in self.plan.history:
            log(
                instance=resolve(unit),
                action="departments.reorganized",
                data={
                    "reorganization": record.pk,
                    "description": text,
                    "document_number": record.document_number,
                    "effective_date": record.effective_date.isoformat(),
                },
                user=self.user,
            )

    def summary(self):
        moved_ids = [m.pk for m in self.moved]
        renamed = [u.pk for u, _c in self.plan.renames]
        for unit, changes in self.plan.renames:
            if {"title", "short_name"} & set(changes):  # the pages below show (and index) the unit's name
                renamed += Page.objects.descendant_of(unit).values_list("pk", flat=True)
        created = [self.plan.new_unit.page.pk] if self.plan.new_unit else []
        return {
            **self.result,
            "pages_moved": len(self.moved),
            "live_pages_moved": sum(1 for m in self.moved if m.live),
            "slugs_renamed": sum(len(r.slugs) for r in self.plan.relocations if not r.in_place),
            "history_entries": len(self.plan.history),
            "units": [resolve(u).pk for u in self.plan.units] + created,
            # What the search index must pick up again (their path, URL or unit name changed), see tasks.py.
            "reindex": moved_ids + renamed + created,
        }


def work_units(plan):
    return plan.page_count + plan.live_count


def execute(plan, progress=None):
    """Apply ``plan`` (inside the caller's transaction); returns the result figures."""
    return Executor(plan, progress).apply()


def run(reorganization_id):
    """Carry out a confirmed reorganization in one transaction: the Celery task's body.

    Re-plans with the units locked, so it applies to the database as it is now; a ReorganizationError (the
    situation changed since the preview) or any other failure rolls everything back and is recorded on the
    reorganization, which is then 失败（未作任何更改）.
    """
    from .tasks import reindex_pages

    record = Reorganization.objects.get(pk=reorganization_id)
    if record.status not in (Reorganization.Status.QUEUED, Reorganization.Status.RUNNING):
        return record
    try:
        total = work_units(plan_for(record))
    except ReorganizationError:
        total = 0
    record.status = Reorganization.Status.RUNNING
    record.started_at = timezone.now()
    record.progress_step, record.progress_done, record.progress_total = _("执行中"), 0, total
    record.error = ""
    record.save(
        update_fields=["status", "started_at", "progress_step", "progress_done", "progress_total", "error"]
    )
    progress = Progress(record)
    try:
        with transaction.atomic():
            plan = plan_for(record, lock=True)
            result = execute(plan, progress)
            total = work_units(plan)
            record.status = Reorganization.Status.DONE
            record.summary = plan.summary[:500]
            record.finished_at = timezone.now()
            record.result = result
            record.progress_step, record.progress_done, record.progress_total = _("完成"), total, total
            record.save(
                update_fields=[
                    "status",
                    "summary",
                    "finished_at",
                    "result",
                    "progress_step",
                    "progress_done",
                    "progress_total",
                ]
            )
            transaction.on_commit(lambda: reindex_pages.delay(record.pk))
    except Exception as exc:
        if isinstance(exc, ReorganizationError):
            message = "；".join(exc.messages)
        else:
            logger.exception("Reorganization %s failed", record.pk)
            message = _("执行中出错：%(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
        Reorganization.objects.filter(pk=record.pk).update(
            status=Reorganization.Status.FAILED,
            finished_at=timezone.now(),
            error=_("%(message)s。已全部回滚，未作任何更改。") % {"message": message.rstrip("。")},
            progress_step=_("失败"),
        )
    finally:
        progress.close()
    record.refresh_from_db()
    return record
