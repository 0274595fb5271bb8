"""Compile every .po file under cms/locale into its .mo, using polib (no GNU gettext needed).

    .venv/bin/python cms/locale/compile.py          # (re)write the .mo files
    .venv/bin/python cms/locale/compile.py --check  # exit 1 if any .mo is missing or stale

The .mo files are committed next to their .po files; tests/home/test_admin_translations.py
fails when a .po was edited without recompiling.
"""

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent


def po_files():
    return sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))


def compiled_entries(catalogue):
    """{(msgctxt, msgid, msgid_plural): msgstr or plural msgstrs} for what a .mo of `catalogue` contains."""
    result = {}
    for entry in catalogue:
        if isinstance(catalogue, polib.POFile) and (entry.obsolete or "fuzzy" in entry.flags):
            continue
        if entry.msgid_plural:
            value = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            if not any(value):
                continue
        else:
            value = entry.msgstr
            if not value:
                continue
        result[(entry.msgctxt or None, entry.msgid, entry.msgid_plural or None)] = value
    return result


def check_po(po_path):
    """Problems that would make the catalogue silently wrong (fuzzy entries are skipped by compilers)."""
    catalogue = polib.pofile(str(po_path))
    problems = [f"{po_path}: fuzzy entry {e.msgid!r}" for e in catalogue if "fuzzy" in e.flags]
    problems += [f"{po_path}: untranslated entry {e.msgid!r}" for e in catalogue.untranslated_entries()]
    return problems


def is_stale(po_path):
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        return True
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(mo_path))
    return compiled_entries(po) != compiled_entries(mo) or po.metadata != mo.metadata


def main(argv):
    check_only = "--check" in argv
    problems, stale = [], []
    for po_path in po_files():
        problems += check_po(po_path)
        if check_only:
            if is_stale(po_path):
                stale.append(po_path)
            continue
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(LOCALE_DIR)}: {len(catalogue.translated_entries())} entries")
    for problem in problems:
        print(problem, file=sys.stderr)
    for po_path in stale:
        print(
            f"stale or missing .mo for {po_path.relative_to(LOCALE_DIR)}; run cms/locale/compile.py",
            file=sys.stderr,
        )
    return 1 if problems or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
