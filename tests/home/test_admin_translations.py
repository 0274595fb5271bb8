"""The Wagtail admin speaks Simplified Chinese.

Wagtail 8.0.1's own zh_Hans catalogues are incomplete (the dashboard said "22 Pages", "Search all pages…",
"Wagtail 8.0.1 editor guide"); cms/locale/zh_Hans fills the gaps. These tests render the main admin
screens with that catalogue and look for English that used to show, check the JavaScript catalogues,
and check that the committed .mo files are compiled from the current .po files.
"""

import gettext
import io
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
import wagtail.admin
import wagtail_localize
from django.utils import translation
from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "cms" / "locale"
PO_FILES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
DJANGO_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
DJANGOJS_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "djangojs.po"

# Seen on these screens before the project catalogue existed (Wagtail 8.0.1 + wagtail-localize 1.14.5).
UNTRANSLATED_BEFORE = [
    # dashboard
    "Pages",
    "Images",
    "Documents",
    "created in",
    "Search all pages",
    "editor guide",
    "Edit account avatar",
    # keyboard shortcuts dialog (in every admin page)
    "Keyboard shortcuts are currently",
    "Show keyboard shortcuts",
    "Toggle minimap",
    "Close modal dialogs",
    "Save changes",
    "Text editing",
    "Text formatting",
    "Paste without formatting",
    "Monospace",
    "Strike-through",
    "Section",
    "Application",
    # page explorer
    "Exploring",
    "Date updated",
    "Edited by",
    "Has child pages",
    "Page type",
    "The root level is where",
    "children of the homepage",
    "Anyone can edit this",
    "Choose who can view the live version",
    "Locking",
    "Referenced",
    # page editor
    "Schedule to publish",
    "Choose when this page should go live",
    "Content metrics",
    "Reading time",
    "Readability",
    "Words",
    "This data explained",
    "Toggle checks",
    "Show issue",
    "Autosave is",
    "Saved",
    "View latest version",
    "Correct the validation errors",
    "network error occurred",
    # images, users, groups, site history
    "Grid layout",
    "List layout",
    "Oldest",
    "Usage count",
    "Sort by",
    "ascending order",
    "descending order",
    "commenting action",
]

# English that legitimately remains (runs of 4+ ASCII letters). Anything else is a new gap: run
# cms/locale/find_gaps.py, translate, and recompile.
ALLOWED_ENGLISH = {
    # product name
    "Wagtail",
    # keyboard key labels, deliberately not translated by Wagtail (admin/utils.py)
    "Ctrl",
    "Shift",
    # hard-coded, not marked for translation, in Wagtail templates (screen-reader only):
    # <input value="Search"> in home.html / shared/header.html, <nav aria-label="Actions"> in headers/_actions.html
    "Search",
    "Actions",
    # Wagtail renders raw Python values in hidden / screen-reader-only elements
    "None",
    "True",
    # wagtail-localize's wagtaillocales/index.html hard-codes "{{ num_pages }} pages"
    "pages",
    # data: language name, Wagtail's root page, groups and workflow created by Wagtail's migrations,
    # the test superuser's username
    "English",
    "Root",
    "Moderators",
    "Editors",
    "approval",
    "admin",
    # export format; the example URL "http://domain.com/work/[my-work]/" in Wagtail's slug help text
    "XLSX",
    "http",
    "domain",
    "work",
}

SCREENS = {
    "dashboard": lambda tree: "/admin/",
    "explorer-root": lambda tree: "/admin/pages/",
    "explorer-home": lambda tree: f"/admin/pages/{tree['home'].id}/",
    "page-edit": lambda tree: f"/admin/pages/{tree['catalogue'].id}/edit/",
    "images": lambda tree: "/admin/images/",
    "documents": lambda tree: "/admin/documents/",
    "users": lambda tree: "/admin/users/",
    "groups": lambda tree: "/admin/groups/",
    "site-history": lambda tree: "/admin/reports/site-history/",
    "locales": lambda tree: "/admin/locales/",
}


@pytest.fixture(autouse=True)
def _project_catalogue(settings):
    # pytest-django's `settings` goes through override_settings, whose setting_changed signal makes Django
    # (django.test.signals.language_changed) drop its cached translations: trans_real._translations,
    # _default and _active. The next gettext builds the catalogues again, now with cms/locale.
    settings.LOCALE_PATHS = [LOCALE_DIR]
    with translation.override("zh-hans"):
        assert translation.gettext("Search all pages…") == "搜索所有页面…", "project catalogue not loaded"


class _VisibleText(HTMLParser):
    """Text a user sees or hears: text nodes outside script/style/svg, and labelling attributes."""

    SKIP = {"script", "style", "noscript", "svg"}
    ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        attributes = dict(attrs)
        self.parts += [value for name, value in attrs if name in self.ATTRIBUTES and value]
        if tag == "input" and attributes.get("type") in {"submit", "button"} and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html):
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def english_found(text, phrases):
    return [p for p in phrases if re.search(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])", text)]


def get_screen(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("screen", SCREENS)
def test_admin_screen_is_chinese(admin_client, tree, screen):
    text = get_screen(admin_client, SCREENS[screen](tree))
    assert re.search(r"[\u4e00-\u9fff]", text)
    assert english_found(text, UNTRANSLATED_BEFORE) == []
    unexpected = sorted(set(re.findall(r"[A-Za-z]{4,}", text)) - ALLOWED_ENGLISH)
    assert unexpected == [], f"untranslated text on {screen}: {unexpected}"


@pytest.mark.django_db
def test_dashboard_shows_translated_summary(admin_client, tree):
    text = get_screen(admin_client, "/admin/")
    assert re.search(r"\d+ 个页面", text)
    assert "0 张图片" in text and "0 个文档" in text
    assert "搜索所有页面…" in text
    assert re.search(r"Wagtail [\d.]+ 编辑指南", text)


@pytest.mark.django_db
@pytest.mark.parametrize("screen", ["dashboard", "page-edit"])
def test_without_the_project_catalogue_these_screens_are_english(admin_client, tree, settings, screen):
    """The check above is meaningful: with Wagtail's catalogues alone it finds English."""
    settings.LOCALE_PATHS = []
    text = get_screen(admin_client, SCREENS[screen](tree))
    assert len(english_found(text, UNTRANSLATED_BEFORE)) >= 5


def js_catalogue(admin_client, url):
    body = admin_client.get(url).content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", body, re.S).group(1))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/admin/jsi18n/", "/admin/localize/jsi18n/"])
def test_javascript_catalogues_serve_the_project_entries(admin_client, url):
    catalogue = js_catalogue(admin_client, url)
    for entry in polib.pofile(str(DJANGOJS_PO)):
        expected = [entry.msgstr_plural[0]] if entry.msgid_plural else entry.msgstr
        assert catalogue.get(entry.msgid) == expected, entry.msgid


def test_django_catalogue_entries_are_in_effect():
    with translation.override("zh-hans"):
        for entry in polib.pofile(str(DJANGO_PO)):
            assert not entry.msgctxt  # none so far; use pgettext/npgettext here if that changes
            if entry.msgid_plural:
                for n in (1, 2):
                    assert translation.ngettext(entry.msgid, entry.msgid_plural, n) == entry.msgstr_plural[0]
            else:
                assert translation.gettext(entry.msgid) == entry.msgstr, entry.msgid


def catalogue_key(entry):
    key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    return (key, 0) if entry.msgid_plural else key


def has_translation(trans, key):
    while trans is not None:
        if key in (getattr(trans, "_catalog", None) or {}):
            return True
        trans = getattr(trans, "_fallback", None)
    return False


def test_project_entries_are_only_gaps(settings):
    """Entries here override Wagtail everywhere; keep only msgids Wagtail leaves untranslated."""
    settings.LOCALE_PATHS = []
    upstream = trans_real.DjangoTranslation("zh-hans")
    stale = [e.msgid for e in polib.pofile(str(DJANGO_PO)) if has_translation(upstream, catalogue_key(e))]
    js_upstream = [
        trans_real.DjangoTranslation(
            "zh-hans", domain="djangojs", localedirs=[str(Path(m.__file__).parent / "locale")]
        )
        for m in (wagtail.admin, wagtail_localize)
    ]
    stale += [
        e.msgid
        for e in polib.pofile(str(DJANGOJS_PO))
        if any(has_translation(t, catalogue_key(e)) for t in js_upstream)
    ]
    assert stale == [], "now translated upstream, remove them (cms/locale/find_gaps.py --stale)"


PLACEHOLDER = re.compile(r"%\(\w+\)[sdi]|%[sdi]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE_DIR)))
def test_entries_are_complete_and_keep_placeholders_and_markup(po_path):
    catalogue = polib.pofile(str(po_path))
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    for entry in catalogue:
        assert "fuzzy" not in entry.flags and entry.translated(), entry.msgid
        source = entry.msgid_plural or entry.msgid
        target = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        if entry.msgid_plural:
            assert list(entry.msgstr_plural) == [0], entry.msgid
        used, available = set(PLACEHOLDER.findall(target)), set(PLACEHOLDER.findall(source))
        if {"python-format", "python-brace-format"} & set(entry.flags) or not available:
            assert used == available, entry.msgid
        else:  # a deliberately dropped placeholder is explained in a translator comment
            assert used <= available and entry.tcomment, entry.msgid
        assert Counter(TAG.findall(target)) == Counter(TAG.findall(source)), entry.msgid


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE_DIR)))
def test_mo_file_is_compiled_from_the_po_file(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run: .venv/bin/python cms/locale/compile.py ({mo_path} missing)"
    fresh = gettext.GNUTranslations(io.BytesIO(polib.pofile(str(po_path)).to_binary()))
    with mo_path.open("rb") as mo_file:
        committed = gettext.GNUTranslations(mo_file)
    assert committed._catalog == fresh._catalog, "the .po changed: run .venv/bin/python cms/locale/compile.py"
    assert committed.info() == fresh.info()
