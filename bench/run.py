"""Benchmark of the public site: SQL queries per page, then requests/second and latency under gunicorn.

    .venv/bin/python bench/run.py [--items N] [--requests R] [--concurrency C] [--database-url URL] [--keep]

Everything runs against a throwaway database and var/ directory; the developer's var/db.sqlite3 is never
opened. The steps:

1. ``migrate``, ``collectstatic`` and ``load_demo``: the real site tree (columns, catalogue, departments).
2. Fill the tree with published DisclosureItemPage items up to N/10, then up to N (default 10,000). They are
   spread over the active departments, the categories and 2019 to today. ``add_child`` plus a revision
   publish costs ~0.1 s an item, so the pages are bulk-inserted instead, as valid treebeard
   materialised-path nodes (path, depth, the parent's numchild) with url_path, locale, translation_key and
   the disclosure identity: 索引号 continuing each department's IndexNumberSequence, 发布机构 and 发布日期.
   Then the whole tree is checked and a sample of items is rendered.
3. Count each page's SQL queries with Django's test client, after one warm-up request, at both sizes. A
   page whose count changes with the content size, or that needs more than 15 queries, is flagged and its
   queries are printed.
4. Serve the site with gunicorn on 127.0.0.1 (production settings, whitenoise, 2 workers). Send R requests
   to each page from C keep-alive client threads, and report requests/second and median and p95 latency.

The exit status is 1 when a page needs more than 15 queries, answers anything but 200, or takes longer
than --slow-ms in-process. That way the script can be used as a check. The bulk-inserted items are not in
the search index, so the search page is not benchmarked.
"""

import argparse
import datetime
import io
import math
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
QUERY_LIMIT = 15
LOCAL_HOSTS = {"", "127.0.0.1", "localhost", "::1"}
SEED = 20190101


# Command line and environment --------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000, help="published items in total (default 10000)")
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--database-url",
        help="a database to create, fill and drop (default: SQLite in a temporary directory); "
        "e.g. postgres://postgres@127.0.0.1:5432/bench_portal — it must not exist yet",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of every page")
    parser.add_argument(
        "--slow-ms",
        type=float,
        default=2000,
        help="a page served in-process slower than this fails and is not put under load (default 2000)",
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE after filling a SQLite database too (always done on PostgreSQL, where autovacuum "
        "would do it anyway; SQLite never gathers planner statistics by itself)",
    )
    args = parser.parse_args(argv)
    if args.items < 0 or args.requests < 1 or args.concurrency < 1 or args.workers < 1:
        parser.error("--items must be >= 0, --requests, --concurrency and --workers >= 1")
    return args


def configure_environment(var_dir, database_url):
    """Production settings on the throwaway database; must run before Django loads its settings."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "DATABASE_URL": database_url,
            "PORTAL_VAR_DIR": str(var_dir),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
        }
    )
    # Self-contained: the embedded filesystem broker under var_dir and the in-process cache.
    for name in ("CELERY_BROKER_URL", "REDIS_CACHE_URL"):
        os.environ.pop(name, None)


class Database:
    """The benchmark's own database: a SQLite file, or a PostgreSQL database created and dropped here."""

    def __init__(self, url):
        import dj_database_url

        self.url = url
        self.config = dj_database_url.parse(url)
        self.vendor = "postgresql" if "postgresql" in self.config["ENGINE"] else "sqlite"
        host = self.config.get("HOST") or ""
        if self.vendor == "postgresql" and host not in LOCAL_HOSTS and not host.startswith("/"):
            raise SystemExit(f"refusing to benchmark against a non-local database host: {host}")
        if self.vendor == "sqlite" and Path(self.config["NAME"]).exists():
            raise SystemExit(f"{self.config['NAME']} already exists; the benchmark needs a fresh database")
        self.created = False

    def _admin_connection(self):
        import psycopg

        return psycopg.connect(
            dbname="postgres",
            user=self.config.get("USER") or None,
            password=self.config.get("PASSWORD") or None,
            host=self.config.get("HOST") or None,
            port=self.config.get("PORT") or None,
            autocommit=True,
        )

    def create(self):
        if self.vendor != "postgresql":
            return
        from psycopg import sql

        name = self.config["NAME"]
        with self._admin_connection() as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                raise SystemExit(
                    f"database {name!r} already exists; drop it (DROP DATABASE) or choose another"
                )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.created = True

    def drop(self):
        if not self.created:
            return
        from psycopg import sql

        with self._admin_connection() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.config["NAME"]))
            )


# Filling the tree --------------------------------------------------------------------------------------


# Uneven like a real bureau: most items are news and notices.
CATEGORY_WEIGHTS = {
    "gzdt": 30,
    "tzgg": 15,
    "zcwj": 8,
    "zcjd": 5,
    "xzzf": 8,
    "ggzypz": 6,
    "zdxm": 4,
    "ghjh": 3,
    "czyjs": 3,
    "bsfw": 4,
    "yjgl": 3,
    "hygq": 3,
    "rsxx": 4,
    "gknb": 1,
    "gkzd": 1,
}
TITLE_TEMPLATES = {
    "gzdt": "{short}召开{topic}工作推进会（{n}）",
    "tzgg": "{short}关于做好{topic}有关工作的通知（{n}）",
    "zcwj": "关于进一步加强{topic}管理的实施意见（{n}）",
    "zcjd": "《关于进一步加强{topic}管理的实施意见》政策解读（{n}）",
}
GENRES = {"gzdt": "xw", "tzgg": "tz", "zcwj": "yj", "zcjd": "qt", "ghjh": "gh", "xzzf": "jd", "gkzd": "tz"}
TOPICS = ["综合运输", "公路建设", "内河航道", "城市公交", "道路运输安全", "农村公路", "港口物流", "交通执法"]


@dataclass
class FillResult:
    added: int = 0
    total: int = 0
    per_department: Counter = field(default_factory=Counter)


def item_body(title, topic, rng):
    paragraphs = [
        f"为深入贯彻落实《中华人民共和国政府信息公开条例》，进一步做好{topic}工作，现将有关情况公开如下。",
        f"{title}。会议强调，要坚持以人民为中心的发展思想，统筹发展和安全，推动{topic}高质量发展。",
        "各县区交通运输局、局属各单位要提高思想认识，细化工作措施，压实工作责任，确保各项任务落到实处。",
    ]
    rng.shuffle(paragraphs[1:])
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def default_content(rng, department, category, topic, n):
    """(title, body HTML, 关键词, 内容概述) of a generated item."""
    title = TITLE_TEMPLATES.get(category, "{short}{topic}信息公开（{n}）").format(
        short=department.short_name, topic=topic, n=n
    )
    return title, item_body(title, topic, rng), f"交通运输,{topic}", ""


def fill_items(target, seed=SEED, content=default_content):
    """Bulk-insert published items until there are ``target`` DisclosureItemPage rows (tests/bulk.py);
    ``content`` makes each item's text (bench/search.py passes a richer vocabulary)."""
    from django.utils import timezone
    from wagtail.models import Site

    from cms.departments.models import DepartmentPage
    from cms.disclosure.models import DisclosureItemPage
    from cms.disclosure.vocabularies import Topic
    from tests.bulk import bulk_items

    existing = DisclosureItemPage.objects.count()
    result = FillResult(total=max(existing, target))
    to_add = target - existing
    if to_add <= 0:
        return result
    rng = random.Random(seed)
    home = Site.objects.get(is_default_site=True).root_page
    departments = list(
        DepartmentPage.objects.live().active().filter(locale_id=home.locale_id).order_by("path")
    )
    if not departments:
        raise RuntimeError("no active DepartmentPage to hold the items")
    weights = [rng.uniform(0.5, 3.0) for _ in departments]
    categories, category_weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
    start = timezone.make_aware(datetime.datetime(2019, 1, 1, 8, 0))
    span = (timezone.now() - start).total_seconds()

    # Publish dates in order, so that each department's 索引号 grow with the date as they would in real life.
    plan = sorted(
        ((start + datetime.timedelta(seconds=rng.uniform(0, span)), rng.choices(departments, weights)[0])
         for _ in range(to_add)),
        key=lambda entry: entry[0],
    )  # fmt: skip
    entries = {department.pk: [] for department in departments}
    for n, (publish_date, department) in enumerate(plan, start=existing + 1):
        category = rng.choices(categories, category_weights)[0]
        topic = rng.choice(TOPICS)
        title, body, keywords, summary = content(rng, department, category, topic, n)
        year = timezone.localtime(publish_date).year
        policy = category == "zcwj"
        entries[department.pk].append(
            {
                "slug": f"bench-{n:06d}",
                "title": title,
                "publish_date": publish_date,
                "category": category,
                "topic": rng.choice(Topic.values),
                "genre": GENRES.get(category, "qt"),
                "document_number": f"宿交发〔{year}〕{n}号" if policy else "",
                "written_date": (publish_date - datetime.timedelta(days=rng.randint(1, 10))).date()
                if policy
                else None,
                "validity": "expired" if policy and rng.random() < 0.1 else "valid",
                "keywords": keywords,
                "summary": summary,
                "body": body,
            }
        )
        result.per_department[department.pk] += 1
    for department in departments:
        bulk_items(department, entries[department.pk])
    result.added = to_add
    return result


def analyze(vendor, requested):
    """Refresh the planner's statistics after a bulk insert, as PostgreSQL's autovacuum soon would."""
    from django.db import connection

    if vendor == "postgresql" or requested:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return True
    return False


# Pages to measure ---------------------------------------------------------------------------------------


@dataclass
class Measure:
    """One page measured in-process with the test client: status, SQL (text, ms) and time to serve."""

    status: int
    sql: list  # [(sql, ms)]
    serve_ms: float

    @property
    def queries(self):
        return len(self.sql)

    @property
    def sql_ms(self):
        return sum(ms for _sql, ms in self.sql)


@dataclass
class Target:
    label: str
    url: str
    baseline: Measure | None = None  # at the smaller content size
    measure: Measure | None = None
    too_slow: bool = False  # served in-process slower than --slow-ms: not put under load
    statuses: Counter = field(default_factory=Counter)
    rps: float | None = None
    median_ms: float | None = None
    p95_ms: float | None = None

    @property
    def queries(self):
        return self.measure.queries

    @property
    def over_limit(self):
        return self.queries > QUERY_LIMIT

    @property
    def grew(self):
        return self.baseline is not None and self.queries != self.baseline.queries

    @property
    def failed(self):
        return self.too_slow or self.measure.status != 200 or any(s != 200 for s in self.statuses)


def relative_url(page):
    return page.get_url(None, current_site=None)


def busiest_department():
    from cms.departments.models import DepartmentPage
    from cms.disclosure.models import DisclosureItemPage

    departments = DepartmentPage.objects.live().order_by("path")
    return max(departments, key=lambda d: DisclosureItemPage.objects.descendant_of(d).count())


def build_targets():
    """(label, url) of every benchmarked page, looked up in the current tree."""
    from django.conf import settings
    from django.utils import timezone
    from wagtail.models import Site

    from cms.departments.models import DepartmentIndexPage
    from cms.disclosure.models import CataloguePage, ColumnPage, DisclosureIndexPage, DisclosureItemPage
    from home.models import SectionPage

    home = Site.objects.get(is_default_site=True).root_page.specific
    items = DisclosureItemPage.objects.published().filter(locale_id=home.locale_id)
    column = ColumnPage.objects.live().get(category="gzdt", locale_id=home.locale_id)
    column_url = relative_url(column)
    pages = max(1, math.ceil(column.get_items().count() / settings.DISCLOSURE_PAGE_SIZE))
    department = busiest_department()
    department_url = relative_url(department)
    catalogue = CataloguePage.objects.live().get(locale_id=home.locale_id)
    newest_news = items.descendant_of(department).filter(category="gzdt").newest_first().first()
    # A filter that matches something: an empty page of results skips the items query.
    year = timezone.localtime(newest_news.publish_date).year if newest_news else timezone.now().year
    interpreted_policy = items.filter(interpretations__isnull=False, attachments__isnull=False).first()
    targets = [
        ("home", "/"),
        ("section 新闻中心", relative_url(SectionPage.objects.live().get(slug="xwzx"))),
        ("信息公开 index", relative_url(DisclosureIndexPage.objects.live().get(locale_id=home.locale_id))),
        ("column 工作动态", column_url),
        ("column page 2", f"{column_url}?page=2"),
        ("column last page", f"{column_url}?page={pages}"),
        ("column RSS", f"{column_url}rss/"),
        ("catalogue", relative_url(catalogue)),
        (
            "catalogue filtered",
            f"{relative_url(catalogue)}?category=gzdt&department={department.pk}&year={year}",
        ),
        ("机构设置 index", relative_url(DepartmentIndexPage.objects.live().get(locale_id=home.locale_id))),
        ("department (most items)", department_url),
        ("department column", f"{department_url}?column=gzdt"),
        ("item (news)", relative_url(newest_news or items.newest_first().first())),
    ]
    if interpreted_policy is not None:
        targets.append(("item (policy, attachment)", relative_url(interpreted_policy)))
    return targets


def measure(client, url, slow_ms, repeat=3):
    """Serve ``url`` in-process after a warm-up request: the run with the median time (once if very slow)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    client.get(url)
    if (time.perf_counter() - started) * 1000 > slow_ms:
        repeat = 1
    runs = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        sql = [(q["sql"], float(q["time"]) * 1000) for q in captured.captured_queries]
        runs.append(Measure(response.status_code, sql, elapsed))
    runs.sort(key=lambda run: run.serve_ms)
    return runs[len(runs) // 2]


def check_rendering(client, sample_size=25, seed=SEED):
    """A random sample of published items answers 200 and shows its 索引号 (drafts waiting in review are not
    public)."""
    from cms.disclosure.models import DisclosureItemPage

    pks = list(DisclosureItemPage.objects.published().values_list("pk", flat=True))
    sample = random.Random(seed).sample(pks, min(sample_size, len(pks)))
    for item in DisclosureItemPage.objects.filter(pk__in=sample):
        response = client.get(relative_url(item))
        if response.status_code != 200 or item.index_number not in response.content.decode():
            raise RuntimeError(f"item {item.pk} ({relative_url(item)}) rendered {response.status_code}")
    return len(sample)


# Load under gunicorn ------------------------------------------------------------------------------------


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn serving cms.wsgi on 127.0.0.1 with this process's environment; a context manager."""

    def __init__(self, workers, log_path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log_path = log_path
        self.process = None

    def __enter__(self):
        command = [
            sys.executable, "-m", "gunicorn", "cms.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--error-logfile", str(self.log_path),
            "--log-level", "warning",
        ]  # fmt: skip
        # Its own session: Ctrl-C reaches only this script, which stops the server (master and workers).
        self.process = subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_ready(self, limit=90):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                requests.get(self.base_url + "/", timeout=30)  # the first answer waits for a worker to boot
                return
            except requests.RequestException:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within {limit} s:\n{self.log_tail()}")

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: the workers finish their request
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the master and its workers, nothing else
            self.process.wait()

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def run_load(url, total, concurrency):
    """``total`` GETs of ``url`` from ``concurrency`` threads, each with a keep-alive session.

    Returns (requests per second, latencies in seconds, Counter of statuses).
    """
    tickets = iter(range(total))
    lock = threading.Lock()
    stop = threading.Event()  # set on Ctrl-C or an error: the threads finish their request and return
    latencies, statuses = [], Counter()

    def client():
        with requests.Session() as session:
            while True:
                with lock:
                    if stop.is_set() or next(tickets, None) is None:
                        return
                started = time.perf_counter()
                try:
                    status = session.get(url, timeout=60).status_code
                except requests.RequestException as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[status] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(client) for _ in range(concurrency)]
        try:
            for future in futures:
                future.result()
        except BaseException:
            stop.set()
            raise
    return total / (time.perf_counter() - started), latencies, statuses


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


# Reporting ----------------------------------------------------------------------------------------------


def print_table(headers, rows):
    rows = [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(display_width(c) for c in column) for column in zip(headers, *rows, strict=True)]
    for i, row in enumerate([headers, *rows]):
        print(" | ".join(pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            print("-+-".join("-" * width for width in widths))


def display_width(text):
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def pad(text, width):
    return text + " " * (width - display_width(text))


def print_queries(target, baseline_items):
    was = f", {target.baseline.queries} at {baseline_items} items" if target.baseline else ""
    print(
        f"\n{target.label} {target.url}: {target.queries} queries{was}, {target.measure.sql_ms:.0f} ms of SQL"
    )
    for i, (sql, ms) in enumerate(target.measure.sql, start=1):
        print(f"  {i:>2}. [{ms:5.1f} ms] {sql if len(sql) <= 400 else sql[:400] + ' …'}")


def summary_row(target):
    queries = str(target.queries) + (" !" if target.over_limit else "")
    statuses = target.statuses or Counter({target.measure.status: 1})
    status = "ok" if set(statuses) == {200} else ", ".join(f"{s}×{n}" for s, n in statuses.items())
    if target.too_slow:
        status = "TOO SLOW, not loaded" + ("" if status == "ok" else f"; {status}")
    return [
        target.label,
        target.url,
        target.baseline.queries if target.baseline else None,
        queries,
        f"{target.measure.sql_ms:.0f}",
        f"{target.measure.serve_ms:.0f}",
        fmt(target.rps),
        fmt(target.median_ms),
        fmt(target.p95_ms),
        status,
    ]


def fmt(value, digits=1):
    return None if value is None else f"{value:.{digits}f}"


# Main ---------------------------------------------------------------------------------------------------


def lap(label, since):
    print(f"  {label}: {time.perf_counter() - since:.1f} s", flush=True)


def run_in_throwaway_site(args, benchmark, prefix="portal-bench-"):
    """Create a temporary var dir and database (SQLite, or ``args.database_url``), run
    ``benchmark(args, database, var_dir)`` in it and always clean up unless ``args.keep``. Returns its status."""
    # Ctrl-C and SIGTERM both unwind through the cleanup below (gunicorn, database, temporary files).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    sys.path.insert(0, str(BASE_DIR))  # the project's packages (cms, home, …), whatever the working directory
    began = time.perf_counter()
    temp_dir = Path(tempfile.mkdtemp(prefix=prefix))
    var_dir = temp_dir / "var"
    var_dir.mkdir()
    database = None
    try:
        database = Database(args.database_url or f"sqlite:///{temp_dir / 'bench.sqlite3'}")
        configure_environment(var_dir, database.url)
        database.create()
        status = benchmark(args, database, var_dir)
        print(f"total time: {time.perf_counter() - began:.0f} s")
        return status
    finally:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
        if args.keep:
            kept_db = f" and database {database.config['NAME']}" if database and database.created else ""
            print(f"\nkept: {temp_dir}{kept_db}")
        else:
            if database is not None:
                database.drop()
            shutil.rmtree(temp_dir, ignore_errors=True)


def main(argv=None):
    return run_in_throwaway_site(parse_args(argv), benchmark)


def benchmark(args, database, var_dir):
    import django

    django.setup()
    from django.db import connections
    from django.test import Client

    print(f"database: {database.vendor}, var: {var_dir}", flush=True)
    build_site()
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)  # a 500 is reported, not raised

    # Every page is measured at a tenth of the content and at the full size: a query count that differs
    # between the two grows with the content.
    started = time.perf_counter()
    small = fill_items(args.items // 10)
    analyzed = analyze(database.vendor, args.analyze)
    baselines = {label: measure(client, url, args.slow_ms) for label, url in build_targets()}
    full = fill_items(args.items, seed=SEED + 1)
    analyze(database.vendor, args.analyze)
    lap(
        f"bulk insert of {small.added + full.added} items (measured at {small.total} and {full.total})",
        started,
    )
    from tests.bulk import check_tree

    started = time.perf_counter()
    nodes = check_tree()
    rendered = check_rendering(client)
    lap(f"tree check ({nodes} pages) and {rendered} random items rendered", started)
    targets = []
    for label, url in build_targets():
        target = Target(label, url, baseline=baselines.get(label), measure=measure(client, url, args.slow_ms))
        target.too_slow = target.measure.serve_ms > args.slow_ms
        targets.append(target)
    connections.close_all()  # the gunicorn workers open their own

    log_tail = load_pages(targets, args, var_dir)
    sizes = (small.total, full.total)
    departments = len(small.per_department | full.per_department)
    return report(targets, args, database, sizes, departments, analyzed, log_tail)


def build_site():
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    lap("migrate + collectstatic", started)
    started = time.perf_counter()
    call_command("load_demo", quiet_accounts=True, password=secrets.token_urlsafe(16), stdout=io.StringIO())
    lap("load_demo", started)


def load_pages(targets, args, var_dir):
    """Put every page that is not too slow under load; returns the tail of gunicorn's log."""
    started = time.perf_counter()
    loaded = [t for t in targets if not t.too_slow]
    with Gunicorn(args.workers, var_dir / "gunicorn.log") as server:
        print(f"  gunicorn on {server.base_url}, {args.workers} workers", flush=True)
        for target in loaded:
            url = server.base_url + target.url
            run_load(url, 2 * args.concurrency, args.concurrency)  # warm up every worker
            target.rps, latencies, target.statuses = run_load(url, args.requests, args.concurrency)
            target.median_ms = statistics.median(latencies) * 1000
            target.p95_ms = percentile(latencies, 0.95) * 1000
        log_tail = server.log_tail()
    lap(f"load: {args.requests} requests x {len(loaded)} pages, {args.concurrency} client threads", started)
    return log_tail


def report(targets, args, database, sizes, departments, analyzed, log_tail):
    """Print the flagged pages' SQL, the summary table and the failures; returns the exit status."""
    from cms.departments.models import DepartmentPage

    small, full = sizes
    for target in targets:
        if args.show_queries or target.over_limit or target.grew or target.too_slow:
            print_queries(target, small)
    print()
    print_table(
        [
            "page",
            "url",
            f"queries @{small}",
            f"queries @{full}",
            "SQL ms",
            "serve ms",
            "req/s",
            "median ms",
            "p95 ms",
            "status",
        ],
        [summary_row(target) for target in targets],
    )
    print(
        f"\nitems: {full}, departments: {DepartmentPage.objects.count()} ({departments} active ones filled), "
        f"database: {database.vendor}" + (" (ANALYZEd after the fill)" if analyzed else " (no ANALYZE)")
    )
    print(
        f"gunicorn: {args.workers} sync workers; load: {args.requests} requests per page from "
        f"{args.concurrency} keep-alive client threads on the same machine. SQL ms and serve ms: one request "
        f"in-process (test client, median of 3), at {full} items."
    )

    over = [t for t in targets if t.over_limit]
    failed = [t for t in targets if t.failed]
    if failed and log_tail.strip():
        print("\ngunicorn log (tail):\n" + log_tail)
    for t in over:
        print(f"FAIL: {t.label} {t.url} needs {t.queries} SQL queries (limit {QUERY_LIMIT})")
    for t in failed:
        if t.too_slow:
            print(
                f"FAIL: {t.label} {t.url} took {t.measure.serve_ms:.0f} ms in-process (--slow-ms {args.slow_ms:.0f})"
            )
        else:
            print(
                f"FAIL: {t.label} {t.url} answered {t.measure.status} in-process, {dict(t.statuses)} under load"
            )
    for t in targets:
        if t.grew and not t.over_limit:
            print(
                f"NOTE: {t.label} needs {t.queries} queries at {full} items, {t.baseline.queries} at {small}"
            )
    return 1 if over or failed else 0


if __name__ == "__main__":
    sys.exit(main())
