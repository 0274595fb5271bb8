"""List admin strings that Django cannot show in Simplified Chinese, to maintain cms/locale/zh_Hans.

    .venv/bin/python cms/locale/find_gaps.py                # gaps left after the project catalogue
    .venv/bin/python cms/locale/find_gaps.py --po gaps.po   # ... also written as a .po to translate
    .venv/bin/python cms/locale/find_gaps.py --stale        # project entries upstream now translates

Sources (nothing under .venv is modified):
  * django domain: each package (wagtail, wagtail_localize, django_filters) is copied to a temporary
    directory and `django-admin makemessages` (GNU gettext) extracts the msgids of the installed code,
    one app (directory with a locale/ folder) at a time, as upstream does.
  * djangojs domain: Wagtail ships only minified bundles, so the msgids come from the en/djangojs.po
    files wagtail.admin and wagtail_localize ship (for 8.0.1 they match the bundles exactly).
A msgid is a gap when the zh-hans catalogue Django builds (installed apps, their fallbacks, plus the
project catalogue unless --stale) has no translation for it. Apps that are not in INSTALLED_APPS only
count for msgids their own zh_Hans catalogue lacks.
"""

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent
BASE_DIR = LOCALE_DIR.parents[1]
PACKAGES = ["wagtail", "wagtail_localize", "django_filters"]
JS_PACKAGES = ["wagtail.admin", "wagtail_localize"]


def setup_django(use_project_catalogue):
    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()
    from django.conf import settings

    settings.LOCALE_PATHS = [LOCALE_DIR] if use_project_catalogue else []


def package_dir(name):
    return Path(importlib.util.find_spec(name).origin).parent


def extract_django_msgids(workdir):
    """{(msgctxt, msgid, msgid_plural): [app package, ...]} for every msgid in the installed sources."""
    import polib

    django_admin = Path(sys.executable).with_name("django-admin")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    found = {}
    for package in PACKAGES:
        src = package_dir(package)
        dst = Path(workdir) / package
        shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po", "static"))
        app_dirs = sorted({p.parent for p in dst.rglob("locale") if p.is_dir()} | {dst})
        for app_dir in app_dirs:
            (app_dir / "locale").mkdir(exist_ok=True)
            ignores = ["tests", "test", "project_template", "node_modules"]
            # directories that are apps of their own (have their own locale/) are extracted separately
            ignores += [
                str(d.relative_to(app_dir)) for d in app_dirs if d != app_dir and app_dir in d.parents
            ]
            cmd = [str(django_admin), "makemessages", "-l", "xx", "-d", "django", "--no-obsolete"]
            cmd += [f"--ignore={pattern}" for pattern in ignores]
            subprocess.run(cmd, cwd=app_dir, env=env, check=True, capture_output=True)
            po_path = app_dir / "locale" / "xx" / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                continue
            app = ".".join(app_dir.relative_to(workdir).parts)
            for entry in polib.pofile(str(po_path)):
                key = (entry.msgctxt or None, entry.msgid, entry.msgid_plural or None)
                found.setdefault(key, []).append(app)
    return found


def catalogue_key(msgctxt, msgid, msgid_plural):
    key = f"{msgctxt}\x04{msgid}" if msgctxt else msgid
    return (key, 0) if msgid_plural else key


def lookup(translation, key):
    """The translation Django would use for `key`, following gettext fallbacks; None when missing."""
    while translation is not None:
        catalog = getattr(translation, "_catalog", None)
        if catalog is not None:
            try:
                return catalog[key]
            except KeyError:
                pass
        translation = getattr(translation, "_fallback", None)
    return None


def own_catalogue(app):
    import polib

    mo_path = package_dir(app) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    if not mo_path.exists():
        return set()
    return {(e.msgctxt or None, e.msgid, e.msgid_plural or None) for e in polib.mofile(str(mo_path))}


def django_gaps(found):
    from django.apps import apps
    from django.utils.translation import trans_real

    translation = trans_real.DjangoTranslation("zh-hans")
    gaps = {}
    for key, owners in found.items():
        if lookup(translation, catalogue_key(*key)) is not None:
            continue
        if any(apps.is_installed(app) for app in owners) or not any(key in own_catalogue(a) for a in owners):
            gaps[key] = owners
    return gaps


def js_gaps():
    import polib
    from django.utils.translation import trans_real

    gaps = {}
    for package in JS_PACKAGES:
        locale = package_dir(package) / "locale"
        translation = trans_real.DjangoTranslation("zh-hans", domain="djangojs", localedirs=[str(locale)])
        for entry in polib.pofile(str(locale / "en" / "LC_MESSAGES" / "djangojs.po")):
            key = (entry.msgctxt or None, entry.msgid, entry.msgid_plural or None)
            if lookup(translation, catalogue_key(*key)) is None:
                gaps.setdefault(key, []).append(package)
    return gaps


def stale_entries():
    """Project entries whose msgid an upstream catalogue now translates (run without the project catalogue)."""
    import polib
    from django.utils.translation import trans_real

    stale = []
    translation = trans_real.DjangoTranslation("zh-hans")
    for entry in polib.pofile(str(LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po")):
        if lookup(translation, catalogue_key(entry.msgctxt, entry.msgid, entry.msgid_plural)) is not None:
            stale.append(("django", entry.msgid))
    js_translations = [
        trans_real.DjangoTranslation(
            "zh-hans", domain="djangojs", localedirs=[str(package_dir(p) / "locale")]
        )
        for p in JS_PACKAGES
    ]
    for entry in polib.pofile(str(LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "djangojs.po")):
        key = catalogue_key(entry.msgctxt, entry.msgid, entry.msgid_plural)
        if any(lookup(t, key) is not None for t in js_translations):
            stale.append(("djangojs", entry.msgid))
    return stale


def write_po(path, gaps_by_domain):
    import polib

    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "zh_Hans",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    for domain, gaps in gaps_by_domain.items():
        for (msgctxt, msgid, msgid_plural), owners in sorted(gaps.items(), key=lambda item: item[1][0]):
            entry = polib.POEntry(msgid=msgid, comment=f"{domain}: {', '.join(sorted(set(owners)))}")
            if msgctxt:
                entry.msgctxt = msgctxt
            if msgid_plural:
                entry.msgid_plural = msgid_plural
                entry.msgstr_plural = {0: ""}
            po.append(entry)
    po.save(path)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--po", help="also write the gaps to this .po file (untranslated)")
    parser.add_argument("--stale", action="store_true", help="list project entries upstream now translates")
    args = parser.parse_args(argv)

    setup_django(use_project_catalogue=not args.stale)
    if args.stale:
        stale = stale_entries()
        for domain, msgid in stale:
            print(f"{domain}: {msgid!r}")
        print(f"{len(stale)} project entries are now translated upstream; remove them and recompile.")
        return 1 if stale else 0

    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        sys.exit("GNU gettext is required (apt-get install gettext)")
    with tempfile.TemporaryDirectory() as workdir:
        gaps = {"django": django_gaps(extract_django_msgids(workdir)), "djangojs": js_gaps()}
    for domain, domain_gaps in gaps.items():
        for (msgctxt, msgid, _plural), owners in sorted(domain_gaps.items(), key=lambda item: item[1][0]):
            context = f" [{msgctxt}]" if msgctxt else ""
            print(f"{domain} {owners[0]}{context}: {msgid!r}")
        print(f"{domain}: {len(domain_gaps)} msgids without a zh-hans translation")
    if args.po:
        write_po(args.po, gaps)
    return 1 if any(gaps.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
