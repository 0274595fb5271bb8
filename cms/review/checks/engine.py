"""Run every automated check on one page: its text fields, rich text, links, metadata and attached files.

Five queries once attachment texts are cached (the dictionary, site hostnames, linked pages, documents, cached
texts), whatever the page's size; attachment text is extracted once per file version and cached in
``DocumentText`` (bench/checks.py: 20,000 characters and five attachments in ~50–110 ms warm, ~200–400 ms cold).
"""

import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.db import models
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from modelcluster.models import get_all_child_relations
from wagtail.fields import RichTextField
from wagtail.models import COMMENTS_RELATION_NAME, Page, Site

from . import Finding
from .dictionary import Matcher, Rule, allowed_host
from .extract import UnreadableDocument, UnsupportedDocument, extract_text
from .personal import find_personal_data
from .text import html_to_paragraphs, links_in_html

# Page fields that never hold public prose.
SKIPPED_FIELDS = {"slug", "url_path", "draft_title", "path", "latest_revision_created_at", "index_number"}


@dataclass
class CheckResult:
    findings: list
    duration_ms: int

    @property
    def blocking(self):
        return [f for f in self.findings if f.blocks]

    @property
    def warnings(self):
        return [f for f in self.findings if not f.blocks]


def load_rules():
    from ..models import TermRule

    return [
        Rule(
            kind=r.kind,
            term=r.term,
            suggestion=r.suggestion,
            severity=r.effective_severity,
            is_regex=r.is_regex,
            exceptions=tuple(r.exception_list),
            note=r.note,
        )
        for r in TermRule.objects.filter(active=True)
    ]


def _located(findings, location):
    return [Finding(**{**f.as_dict(), "location": location}) for f in findings]


def _text_fields(instance):
    """(label, value, is_html) for the prose fields of a model instance, Page's technical fields excluded."""
    out = []
    for field in instance._meta.concrete_fields:
        if (
            field.name in SKIPPED_FIELDS
            or field.choices
            or not isinstance(field, (models.CharField, models.TextField))
        ):
            continue
        if field.model is Page and field.name not in ("title", "seo_title", "search_description"):
            continue
        value = getattr(instance, field.attname, "") or ""
        if value:
            out.append((str(field.verbose_name), value, isinstance(field, RichTextField)))
    return out


# Inline children that are not published content: the editors' and reviewers' own comments on a page.
UNCHECKED_CHILD_RELATIONS = {COMMENTS_RELATION_NAME}


def page_texts(page):
    """Yield (location, plain text, html or None) for every prose field of the page and its inline children
    (attachments' display names, leaders' résumés, the WeChat and Weibo texts of the 新媒体 tab)."""
    sources = [("", page)]
    for relation in get_all_child_relations(type(page)):
        if relation.get_accessor_name() in UNCHECKED_CHILD_RELATIONS:
            continue
        manager = getattr(page, relation.get_accessor_name(), None)
        if manager is None:
            continue
        label = str(relation.related_model._meta.verbose_name)
        for n, child in enumerate(manager.all(), start=1):
            sources.append((f"{label}{n}·", child))
    for prefix, instance in sources:
        for label, value, is_html in _text_fields(instance):
            if is_html:
                for n, paragraph in enumerate(html_to_paragraphs(value), start=1):
                    yield f"{prefix}{label}第{n}段", paragraph, None
                yield f"{prefix}{label}", None, value
            else:
                yield f"{prefix}{label}", value, None


# Links (国办秘函〔2019〕19号 链接) --------------------------------------------------------------------------------------


def _own_hosts():
    hosts = set(getattr(settings, "REVIEW_SITE_HOSTS", []))
    hosts.update(Site.objects.values_list("hostname", flat=True))
    return {h.lower() for h in hosts if h and h != "*"}


def _internal_path_is_live(path):
    path = "/" + path.strip("/") + "/" if path.strip("/") else "/"
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.url_name != "wagtail_serve":
        return True
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return False
    components = [c for c in path.strip("/").split("/") if c]
    root = site.root_page.url_path
    candidates = [
        root + "/".join(components[:i]) + ("/" if i else "") for i in range(len(components), -1, -1)
    ]
    pages = {p.url_path: p for p in Page.objects.live().filter(url_path__in=candidates).specific()}
    for i in range(len(components), -1, -1):
        page = pages.get(candidates[len(components) - i])
        if page is None:
            continue
        if i == len(components):
            return True
        resolve_subpage = getattr(page, "resolve_subpage", None)
        if resolve_subpage is None:
            return False
        try:
            resolve_subpage("/" + "/".join(components[i:]) + "/")
            return True
        except Resolver404:  # no sub-route of the page answers the rest of the path
            return False
    return False


def check_links(links, allow):
    """``links``: (location, link dict from ``links_in_html``) pairs."""
    from wagtail.documents import get_document_model

    findings, page_refs, doc_refs = [], {}, {}
    own = _own_hosts()
    for location, link in links:
        text = link.get("text") or ""
        if link["linktype"] == "page" and link.get("id"):
            page_refs.setdefault(str(link["id"]), []).append((location, text))
        elif link["linktype"] == "document" and link.get("id"):
            doc_refs.setdefault(str(link["id"]), []).append((location, text))
        elif link["linktype"] is None and link.get("href"):
            findings.extend(_check_href(link["href"], text, location, own, allow))
    if page_refs:
        ids = [int(i) for i in page_refs if i.isdigit()]
        live = {str(pk) for pk in Page.objects.live().filter(pk__in=ids).values_list("pk", flat=True)}
        for pk, uses in page_refs.items():
            if pk not in live:
                for location, text in uses:
                    findings.append(
                        Finding(
                            "link",
                            "block",
                            _("内部链接指向的页面不存在或未发布"),
                            location,
                            None,
                            text,
                            text,
                            _("请重新选择链接页面或删除该链接"),
                        )
                    )
    if doc_refs:
        ids = [int(i) for i in doc_refs if i.isdigit()]
        existing = {
            str(pk) for pk in get_document_model().objects.filter(pk__in=ids).values_list("pk", flat=True)
        }
        for pk, uses in doc_refs.items():
            if pk not in existing:
                for location, text in uses:
                    findings.append(
                        Finding(
                            "link",
                            "block",
                            _("链接的文件已被删除"),
                            location,
                            None,
                            text,
                            text,
                            _("请重新选择文件"),
                        )
                    )
    return findings


def _check_href(href, text, location, own, allow):
    parsed = urlparse(href.strip())
    scheme = parsed.scheme.lower()
    if scheme in ("mailto", "tel"):
        return []
    if scheme not in ("", "http", "https"):
        return [
            Finding("link", "block", _("不安全的链接"), location, None, href[:80], text, _("请删除该链接"))
        ]
    host = (parsed.hostname or "").lower()
    if not host or host in own:
        if href.startswith("#"):
            return []
        if not _internal_path_is_live(parsed.path):
            return [
                Finding(
                    "link",
                    "block",
                    _("本站链接无法访问（页面不存在或未发布）"),
                    location,
                    None,
                    href[:120],
                    text,
                    _("请改用“内部链接”选择页面"),
                )
            ]
        return []
    if not allowed_host(host, allow):
        return [
            Finding(
                "link",
                "warn",
                _("外部链接不在白名单内，请确认其安全可靠"),
                location,
                None,
                href[:120],
                text,
                _("确认后可由管理员将 %(host)s 加入外链白名单") % {"host": host},
            )
        ]
    return []


# Metadata completeness (条例第十二条, 国办发〔2016〕80号) ---------------------------------------------------------------------


def check_metadata(page):
    if not hasattr(page, "summary") or not hasattr(page, "category"):
        return []
    findings = []

    def missing(field, message, severity="block"):
        label = str(page._meta.get_field(field).verbose_name)
        findings.append(Finding("metadata", severity, message, _("公开属性：%(f)s") % {"f": label}))

    if not page.category:
        missing("category", _("未选择组配分类"))
    if not (page.summary or "").strip():
        missing("summary", _("未填写内容概述"))
    if not (page.keywords or "").strip():
        missing("keywords", _("未填写关键词"), "warn")
    genres = getattr(settings, "REVIEW_GENRES_REQUIRING_DOCUMENT_NUMBER", [])
    if page.genre in genres or page.category == "zcwj":
        kind = (
            _("政策文件")
            if page.category == "zcwj"
            else _("体裁为“%(g)s”的公文") % {"g": page.get_genre_display()}
        )
        if not (page.document_number or "").strip():
            missing("document_number", _("%(k)s须填写文号") % {"k": kind})
        if not page.written_date:
            missing("written_date", _("%(k)s须填写成文日期") % {"k": kind})
    return findings


# Attachments -----------------------------------------------------------------------------------------


def attachment_documents(page, links, attached=None):
    """Documents attached to the page (in the revision being checked, or ``attached`` from an unsaved form)
    and documents linked from its text."""
    from wagtail.documents import get_document_model

    docs = {}
    if attached is not None:
        docs = {d.pk: d for d in attached}
    elif (manager := getattr(page, "attachments", None)) is not None:
        ids = [a.document_id for a in manager.all() if a.document_id]
        docs = {d.pk: d for d in get_document_model().objects.filter(pk__in=ids)} if ids else {}
    linked = {
        int(link["id"])
        for _location, link in links
        if link["linktype"] == "document" and str(link.get("id", "")).isdigit()
    }
    linked -= set(docs)
    if linked:
        docs.update({d.pk: d for d in get_document_model().objects.filter(pk__in=linked)})
    return list(docs.values())


def _read(document):
    with document.file.open("rb") as fh:
        return fh.read()


def document_parts(documents):
    """{document pk: (parts, error)} using the cache; extracts (and caches) files not seen in this version."""
    from ..models import DocumentText

    cached = {t.document_id: t for t in DocumentText.objects.filter(document__in=[d.pk for d in documents])}
    out = {}
    for document in documents:
        entry = cached.get(document.pk)
        data = None
        file_hash = document.file_hash
        if not file_hash:
            data = _read(document)
            file_hash = hashlib.sha1(data).hexdigest()
        if entry is not None and entry.file_hash == file_hash:
            out[document.pk] = (entry.pages, entry.error)
            continue
        if data is None:
            data = _read(document)
        try:
            extracted = extract_text(document.file.name, data)
            parts, error = extracted.parts, ""
        except UnsupportedDocument as exc:
            parts, error = [], "unsupported:" + str(exc)
        except UnreadableDocument as exc:
            parts, error = [], "unreadable:" + str(exc)
        DocumentText.objects.update_or_create(
            document=document, defaults={"file_hash": file_hash, "pages": parts, "error": error[:200]}
        )
        out[document.pk] = (parts, error)
    return out


def check_attachments(documents, matcher):
    findings = []
    parts_by_doc = document_parts(documents)
    for document in documents:
        parts, error = parts_by_doc[document.pk]
        name = _("附件《%(t)s》") % {"t": document.title}
        if error.startswith("unsupported:"):
            findings.append(
                Finding("attachment", "warn", _("附件格式无法自动检查，请人工核对其中的个人信息和表述"), name)
            )
        elif error:
            findings.append(
                Finding(
                    "attachment",
                    "block",
                    error.split(":", 1)[1] or _("附件无法打开"),
                    name,
                    None,
                    "",
                    "",
                    _("请上传未加密、可正常打开的文件"),
                )
            )
        for n, text in enumerate(parts, start=1):
            location = f"{name}第{n}页" if len(parts) > 1 else name
            findings.extend(_located(find_personal_data(text), location))
            findings.extend(_located(matcher.scan(text), location))
    return findings


def check_page(page, attachments=None):
    """All findings for ``page`` as it stands (a live row, a revision's object or an unsaved form instance)."""
    started = time.perf_counter()
    rules = load_rules()
    matcher = Matcher(rules)
    allow = [r.term for r in rules if r.kind == "link_allow"]
    findings, html_sources = [], []
    for location, text, html in page_texts(page):
        if html is not None:
            html_sources.append((location, html))
            continue
        findings.extend(_located(matcher.scan(text), location))
        findings.extend(_located(find_personal_data(text), location))
    # Rich text is parsed for links once; the link check and the linked documents share the result.
    links = [(location, link) for location, html in html_sources for link in links_in_html(html)]
    findings.extend(check_links(links, allow))
    findings.extend(check_metadata(page))
    documents = attachment_documents(page, links, attachments)
    findings.extend(check_attachments(documents, matcher))
    findings.sort(key=lambda f: (f.severity != "block",))
    return CheckResult(findings, int((time.perf_counter() - started) * 1000))
