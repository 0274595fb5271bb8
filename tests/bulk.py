"""Published items in bulk, for volume tests and bench/: thousands of pages in a few queries.

``add_child`` plus a revision publish through the gate costs about 0.1 s an item, so these are inserted as valid
treebeard materialised-path nodes (path after the parent's last child, depth, the parent's numchild), with
url_path, locale, translation_key and the disclosure identity: 索引号 continuing the department's
IndexNumberSequence, 发布机构 and 发布日期. They have no revisions and are not in the search index.
"""

import uuid
from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.models import Page

BATCH_SIZE = 500


def bulk_items(department, entries):
    """Insert one published DisclosureItemPage under ``department`` per entry, in the order given.

    Each entry is a dict of DisclosureItemPage fields: ``title``, ``slug``, ``category`` and ``publish_date``
    are required; ``index_number`` and ``publisher_name`` are drawn here. Returns the new pages' primary keys.
    """
    from cms.departments.reorganization import child_paths
    from cms.disclosure.index_numbers import IndexNumberSequence, format_index_number
    from cms.disclosure.models import DisclosureItemPage

    if not entries:
        return []
    content_type = ContentType.objects.get_for_model(DisclosureItemPage)
    paths = child_paths(department, len(entries))
    sequences = dict(
        IndexNumberSequence.objects.filter(org_code=department.org_code).values_list("year", "last_value")
    )
    pages, rows = [], []
    for n, entry in enumerate(entries, start=1):
        entry = dict(entry)
        title, slug, publish_date = entry.pop("title"), entry.pop("slug"), entry["publish_date"]
        year = timezone.localtime(publish_date).year
        sequences[year] = sequences.get(year, 0) + 1
        pages.append(
            Page(
                path=paths[n - 1],
                depth=department.depth + 1,
                numchild=0,
                translation_key=uuid.uuid4(),
                locale_id=department.locale_id,
                live=True,
                has_unpublished_changes=False,
                first_published_at=publish_date,
                last_published_at=publish_date,
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                url_path=f"{department.url_path}{slug}/",
            )
        )
        entry.setdefault("body", f"<p>{title}。</p>")
        rows.append(
            dict(
                entry,
                index_number=format_index_number(department.org_code, year, sequences[year]),
                publisher_name=department.title,
            )
        )
    with transaction.atomic():
        Page.objects.bulk_create(pages, batch_size=BATCH_SIZE)
        if any(page.pk is None for page in pages):  # a backend that cannot return the new ids
            ids = dict(Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk"))
            for page in pages:
                page.pk = ids[page.path]
        insert_rows(
            DisclosureItemPage, [dict(row, page_ptr=p.pk) for p, row in zip(pages, rows, strict=True)]
        )
        Page.objects.filter(pk=department.pk).update(numchild=F("numchild") + len(pages))
        for year, last_value in sequences.items():
            IndexNumberSequence.objects.update_or_create(
                org_code=department.org_code, year=year, defaults={"last_value": last_value}
            )
    department.numchild += len(pages)
    return [p.pk for p in pages]


def insert_rows(model, rows):
    """INSERT ``rows`` (field name -> value) into ``model``'s own table; the parent rows already exist.

    QuerySet.bulk_create refuses multi-table inheritance, so the child table is written directly, with each
    value prepared by its field exactly as Model.save would (datetimes to UTC for SQLite, and so on).
    """
    fields = model._meta.local_concrete_fields
    quote = connection.ops.quote_name
    statement = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    params = [
        [f.get_db_prep_save(row.get(f.name, f.get_default()), connection) for f in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        for offset in range(0, len(params), BATCH_SIZE):
            cursor.executemany(statement, params[offset : offset + BATCH_SIZE])


def check_tree():
    """The whole page tree, in one query: paths, depths, numchild and url_paths agree (treebeard's invariants),
    and no two pages share a URL. Returns the number of pages; raises RuntimeError listing the problems."""
    nodes = {
        path: (pk, depth, numchild, slug, url_path)
        for pk, path, depth, numchild, slug, url_path in Page.objects.values_list(
            "pk", "path", "depth", "numchild", "slug", "url_path"
        )
    }
    children = Counter(path[: -Page.steplen] for path in nodes if len(path) > Page.steplen)
    problems = []
    for path, (pk, depth, numchild, slug, url_path) in nodes.items():
        if len(path) % Page.steplen or any(c not in Page.alphabet for c in path):
            problems.append(f"page {pk}: malformed path {path!r}")
        if depth != len(path) // Page.steplen:
            problems.append(f"page {pk}: depth {depth} for path {path!r}")
        if numchild != children[path]:
            problems.append(f"page {pk}: numchild {numchild}, {children[path]} children")
        parent = nodes.get(path[: -Page.steplen]) if depth > 1 else None
        if depth > 1 and parent is None:
            problems.append(f"page {pk}: orphan")
        elif depth > 2 and url_path != f"{parent[4]}{slug}/":
            problems.append(f"page {pk}: url_path {url_path!r} under {parent[4]!r}")
    if len({node[4] for node in nodes.values()}) != len(nodes):
        problems.append("two pages share a url_path")
    if problems:
        raise RuntimeError("page tree is inconsistent:\n  " + "\n  ".join(problems[:20]))
    return len(nodes)
