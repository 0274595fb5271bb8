"""Benchmark of a reorganization: merge two departments that hold N pages between them, at two sizes.

    .venv/bin/python bench/reorg.py [--pages N] [--naive M] [--database-url URL] [--keep]

Target: merging two departments holding 10,000 pages takes at most 60 s on 2 cores, and the number of SQL queries
grows linearly with the pages, not quadratically (both figures printed, at N/10 and N pages).

Everything runs against a throwaway database and var/ directory (``bench/run.py``'s ``run_in_throwaway_site``:
SQLite in a temporary directory by default, or a PostgreSQL database created and dropped here). The steps:

1. ``migrate``, ``collectstatic`` and ``load_demo``: the real site tree, units, groups and the 2019 reform.
2. For each size: two new units under 机构设置, with 60% of the pages in the source and 40% in the target
   (``--source-share``; bulk-inserted published items, tests/bulk.py; 1% of the source's slugs also exist in
   the target, so those pages are renamed), and an editor and a reviewer in each.
3. The preview (``plan_for``) and the run (``reorganization.run``, the Celery task's body: plan again under
   locks, apply, commit) are timed and their SQL queries counted. While the run goes, a second connection reads
   the reorganization's progress every 100 ms, as the admin's progress page does; the slowest read and the
   progress values it saw are printed (on SQLite the progress is coarse: see README).
4. Checks: the whole page tree is a valid treebeard tree, no 索引号 changed, a sample of 200 old URLs answers 301
   with the page's new URL and that answers 200, and the search-index task (``departments.reindex_pages``) is
   run and timed.
5. ``--naive M`` (default 300): for comparison, M pages moved one by one with Wagtail's own ``MovePageAction``
   and its automatic redirects, timed per page and extrapolated to N.

The exit status is 1 when a check fails or the merge of N pages takes longer than --target seconds.
"""

import argparse
import random
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000, help="pages in the two units (default 10000)")
    parser.add_argument(
        "--naive",
        type=int,
        default=300,
        help="pages moved one by one with Wagtail's MovePageAction (default 300)",
    )
    parser.add_argument(
        "--source-share",
        type=float,
        default=0.6,
        help="the share of the pages held by the unit that is merged away, and so moved (default 0.6)",
    )
    parser.add_argument("--target", type=float, default=TARGET_SECONDS, help="seconds allowed at N pages")
    parser.add_argument(
        "--database-url",
        help="a database to create, fill and drop (default: SQLite in a temporary directory); "
        "e.g. postgres://postgres@127.0.0.1:5432/bench_reorg — it must not exist yet",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    args = parser.parse_args(argv)
    if args.pages < 20 or args.naive < 0 or not 0 < args.source_share <= 1:
        parser.error("--pages must be >= 20, --naive >= 0 and --source-share in (0, 1]")
    return args


class ProgressProbe(threading.Thread):
    """Reads the reorganization's progress through its own connection every 100 ms, as the admin page polls."""

    def __init__(self, record_id):
        super().__init__(daemon=True)
        self.record_id = record_id
        self.stop = threading.Event()
        self.slowest = 0.0
        self.reads = 0
        self.seen = []

    def run(self):
        from django.db import DEFAULT_DB_ALIAS, connections

        connection = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            while True:
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT status, progress_done FROM departments_reorganization WHERE id = %s",
                        [self.record_id],
                    )
                    row = cursor.fetchone()
                self.slowest = max(self.slowest, time.perf_counter() - started)
                self.reads += 1
                if row and (not self.seen or self.seen[-1] != tuple(row)):
                    self.seen.append(tuple(row))
                if self.stop.wait(0.1) and row and row[0] in ("done", "failed"):
                    break
        finally:
            connection.close()


class QueryCount:
    """SQL statements run on the default connection inside the block (no cap, unlike CaptureQueriesContext)."""

    def __enter__(self):
        from django.db import connection

        self.count = 0
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc_info):
        self._wrapper.__exit__(*exc_info)

    def __len__(self):
        return self.count


def make_units(label, pages, seed, share=0.6):
    """Two new units holding ``pages`` items between them, with an editor and a reviewer each."""
    from django.utils import timezone

    from cms.departments.models import DepartmentIndexPage
    from cms.disclosure.vocabularies import Category
    from tests import factories
    from tests.bulk import bulk_items

    rng = random.Random(seed)
    index = DepartmentIndexPage.objects.get()
    source = factories.make_department(
        index, title=f"宿迁市公路管理{label}处", short_name=f"公路{label}处", slug=f"gl{label}"
    )
    target = factories.make_department(
        index, title=f"宿迁市公路事业发展{label}中心", short_name=f"公路{label}中心", slug=f"glzx{label}"
    )
    for unit in (source, target):
        factories.make_user(f"{unit.slug}_editor", groups=[unit.editors_group])
        factories.make_user(f"{unit.slug}_reviewer", groups=[unit.reviewers_group])
    in_source = round(pages * share)
    shared = max(1, in_source // 100)
    start = timezone.now() - timezone.timedelta(days=2000)
    categories = list(Category.values)

    def entries(unit, count, prefix):
        return [
            {
                "slug": f"shared-{n}" if n < shared else f"{prefix}-{n}",
                "title": f"{unit.short_name}交通运输信息（{n}）",
                "category": rng.choice(categories),
                "publish_date": start + timezone.timedelta(hours=n),
                "keywords": "交通运输",
            }
            for n in range(count)
        ]

    bulk_items(source, entries(source, in_source, "s"))
    bulk_items(target, entries(target, pages - in_source, "t"))
    return source, target


def merge(source, target):
    """Preview and run the merge of ``source`` into ``target``; returns the figures."""
    import datetime

    from wagtail.models import Page

    from cms.departments.models import Reorganization
    from cms.departments.reorganization import plan_for, run
    from cms.disclosure.models import DisclosureItemPage

    identity = dict(DisclosureItemPage.objects.child_of(source).values_list("pk", "index_number"))
    old = dict(Page.objects.child_of(source).filter(live=True).values_list("pk", "url_path"))
    record = Reorganization.objects.create(
        kind="merge",
        spec={"sources": [source.pk], "target": target.pk},
        document_number="宿编〔2019〕12号",
        effective_date=datetime.date(2019, 3, 29),
        status=Reorganization.Status.QUEUED,
    )
    started = time.perf_counter()
    with QueryCount() as preview_queries:
        plan = plan_for(record)
        list(plan.url_changes(limit=20))
    preview = time.perf_counter() - started
    probe = ProgressProbe(record.pk)
    probe.start()
    started = time.perf_counter()
    with QueryCount() as run_queries:
        record = run(record.pk)
    elapsed = time.perf_counter() - started
    probe.stop.set()
    probe.join()
    if record.status != Reorganization.Status.DONE:
        raise RuntimeError(f"the merge failed: {record.error}")
    return {
        "record": record,
        "moved": record.result["pages_moved"],
        "preview_s": preview,
        "preview_queries": len(preview_queries),
        "run_s": elapsed,
        "run_queries": len(run_queries),
        "probe": probe,
        "identity": identity,
        "old_urls": old,
    }


def check(figures, client, sample=200):
    """索引号 unchanged; a sample of old URLs redirects (301) to the page's new URL, which answers 200."""
    from wagtail.models import Page

    from cms.disclosure.models import DisclosureItemPage

    identity = figures["identity"]
    now = dict(DisclosureItemPage.objects.filter(pk__in=identity).values_list("pk", "index_number"))
    if now != identity:
        raise RuntimeError("索引号 changed")
    old = figures["old_urls"]
    picked = random.Random(7).sample(sorted(old), min(sample, len(old)))
    pages = {p.pk: p for p in Page.objects.filter(pk__in=picked)}
    for pk in picked:
        old_url = old[pk][len("/home") :]
        response = client.get(old_url)
        new_url = pages[pk].url_path[len("/home") :]
        if response.status_code != 301 or response["Location"] != new_url:
            raise RuntimeError(f"{old_url} answered {response.status_code} {response.get('Location')}")
        if client.get(new_url).status_code != 200:
            raise RuntimeError(f"{new_url} does not answer 200")
    return len(picked)


def reindex(record):
    from cms.departments.tasks import reindex_pages

    started = time.perf_counter()
    with QueryCount() as queries:
        indexed = reindex_pages(record.pk)
    return indexed, time.perf_counter() - started, len(queries)


def naive(pages):
    """``pages`` pages moved one by one with Wagtail's MovePageAction (redirects created by its signal)."""
    from django.db import transaction
    from wagtail.actions.move_page import MovePageAction
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page

    source, target = make_units("naive", pages * 10 // 6 + 1, seed=3)
    moving = list(Page.objects.child_of(source).exclude(slug__startswith="shared-").order_by("path")[:pages])
    redirects = Redirect.objects.count()
    started = time.perf_counter()
    with QueryCount() as queries, transaction.atomic():
        for page in moving:
            MovePageAction(page, Page.objects.get(pk=target.pk), pos="last-child").execute(
                skip_permission_checks=True
            )
    elapsed = time.perf_counter() - started
    return elapsed, len(queries), Redirect.objects.count() - redirects


def benchmark(args, database, var_dir):
    import django

    django.setup()
    from django.test import Client

    from bench.run import build_site, print_table
    from tests.bulk import check_tree

    print(f"database: {database.vendor}, var: {var_dir}", flush=True)
    build_site()
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)

    rows, failures, results = [], [], {}
    for label, size in (("a", args.pages // 10), ("b", args.pages)):
        started = time.perf_counter()
        source, target = make_units(label, size, seed=size, share=args.source_share)
        print(
            f"  bulk insert of {size} pages into two units: {time.perf_counter() - started:.1f} s", flush=True
        )
        figures = merge(source, target)
        nodes = check_tree()
        checked = check(figures, client)
        indexed, reindex_s, reindex_queries = reindex(figures["record"])
        probe = figures["probe"]
        results[size] = figures
        print(
            f"  {size} pages: tree of {nodes} pages valid; {checked} old URLs redirect to live pages; "
            f"progress read {probe.reads} times (slowest {probe.slowest * 1000:.0f} ms), saw {probe.seen}",
            flush=True,
        )
        rows.append(
            [
                size,
                figures["moved"],
                f"{figures['preview_s']:.2f}",
                figures["preview_queries"],
                f"{figures['run_s']:.1f}",
                figures["run_queries"],
                f"{figures['run_queries'] / figures['moved'] * 1000:.0f}",
                figures["record"].result["redirects"],
                f"{probe.slowest * 1000:.0f}",
                f"{reindex_s:.1f}",
                reindex_queries,
                indexed,
            ]
        )
    print()
    print_table(
        [
            "pages in both units",
            "moved",
            "preview s",
            "preview queries",
            "merge s",
            "merge queries",
            "queries/1000 moved",
            "redirects",
            "slowest progress read ms",
            "reindex s",
            "reindex queries",
            "indexed",
        ],
        rows,
    )
    small, large = (results[args.pages // 10], results[args.pages])
    growth = (large["run_queries"] - small["run_queries"]) / max(1, large["moved"] - small["moved"])
    print(
        f"\nqueries: {small['run_queries']} at {small['moved']} moved pages, {large['run_queries']} at "
        f"{large['moved']}: {growth * 1000:.1f} more per 1,000 pages (batches of up to 500 rows; linear growth)"
    )
    if args.naive:
        elapsed, queries, redirects = naive(args.naive)
        per_page = elapsed / args.naive
        print(
            f"for comparison, Wagtail's MovePageAction one page at a time: {args.naive} pages in {elapsed:.1f} s "
            f"({per_page * 1000:.0f} ms and {queries / args.naive:.0f} queries a page, {redirects} redirects); "
            f"{large['moved']} pages would take about {per_page * large['moved']:.0f} s"
        )
    if large["run_s"] > args.target:
        failures.append(
            f"the merge of {args.pages} pages took {large['run_s']:.1f} s (target {args.target:.0f} s)"
        )
    for failure in failures:
        print("FAIL:", failure)
    print(
        f"\nTARGET {'MET' if not failures else 'MISSED'}: merge of {args.pages} pages in {large['run_s']:.1f} s"
    )
    return 1 if failures else 0


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, str(BASE_DIR))  # the project's packages (cms, tests, bench…), whatever the directory
    from bench.run import run_in_throwaway_site

    return run_in_throwaway_site(args, benchmark, prefix="portal-bench-reorg-")


if __name__ == "__main__":
    sys.exit(main())
