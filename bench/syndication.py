#!/usr/bin/env python3
"""New-media syndication with a real Celery worker against the sandbox: latency from the gate's approval to
WeChat submitted / published and to the Weibo post, and the throughput of a burst of pages under the configured
rate limits. Target: p95 ≤ 10 s from approval to submitted when no rate limit applies.

    .venv/bin/python bench/syndication.py                       # SQLite, 40 + 500 pages
    .venv/bin/python bench/syndication.py --pages 200 --latency-pages 20
    .venv/bin/python bench/syndication.py --database-url postgres://postgres@127.0.0.1:5432/bench_syndication \\
        --broker-url redis://127.0.0.1:6379/14

The site and database are throwaway (``run.py``'s ``run_in_throwaway_site``, production settings, ``load_demo``).
The sandbox (``manage.py syndication_sandbox``) and the worker (prefork, ``--concurrency``) run in processes of
their own, as in production; pages are released through the real review gate (submit, three approvals).
"""

import argparse
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import BASE_DIR, free_port, percentile, print_table, run_in_throwaway_site

SECRETS = {"BENCH_WECHAT": secrets.token_urlsafe(16), "BENCH_WEIBO": secrets.token_urlsafe(16)}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--latency-pages", type=int, default=40, help="pages released one at a time (default 40)"
    )
    parser.add_argument(
        "--spacing", type=float, default=0.5, help="seconds between those releases (default 0.5)"
    )
    parser.add_argument("--pages", type=int, default=500, help="pages released in one burst (default 500)")
    parser.add_argument("--concurrency", type=int, default=4, help="worker processes (default 4)")
    parser.add_argument(
        "--weibo-limit", type=int, default=250, help="Weibo posts per window for the account (default 250)"
    )
    parser.add_argument(
        "--rate-window",
        type=int,
        default=60,
        help="seconds of that window (default 60; the platform's is 3600)",
    )
    parser.add_argument(
        "--publish-seconds", type=float, default=1.0, help="sandbox: WeChat publish time (1.0)"
    )
    parser.add_argument(
        "--timeout", type=int, default=1200, help="give up after this many seconds (default 1200)"
    )
    parser.add_argument("--database-url", help="PostgreSQL URL for a throwaway database (default: SQLite)")
    parser.add_argument("--broker-url", help="a Redis broker (default: the embedded SQLite broker)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    return run_in_throwaway_site(args, benchmark, prefix="portal-bench-syndication-")


def benchmark(args, database, var_dir):
    sandbox_port = free_port()
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    os.environ.update(
        SYNDICATION_WECHAT_API_BASE=sandbox_url,
        SYNDICATION_WEIBO_API_BASE=sandbox_url,
        SYNDICATION_WEIBO_WEB_BASE=sandbox_url + "/weibo",
        SYNDICATION_PUBLIC_BASE_URL="https://jtj.suqian.gov.cn",
        # No web server runs here: the sandbox's PUBLISHJOBFINISH pushes go nowhere, and polling alone finishes
        # the jobs (a development server on :8000 would otherwise receive pushes for accounts it does not know).
        WAGTAILADMIN_BASE_URL="http://127.0.0.1:9",
        SYNDICATION_WEIBO_RATE_WINDOW_SECONDS=str(args.rate_window),
        SYNDICATION_DISPATCH_SECONDS="5",
        SYNDICATION_SECRET_BENCH_WECHAT=SECRETS["BENCH_WECHAT"],
        SYNDICATION_SECRET_BENCH_WEIBO=SECRETS["BENCH_WEIBO"],
    )
    if args.broker_url:
        os.environ["CELERY_BROKER_URL"] = args.broker_url
    import django

    django.setup()
    from run import build_site

    print(f"database: {database.vendor}, broker: {args.broker_url or 'embedded SQLite'}", flush=True)
    build_site()
    accounts = make_accounts(args)
    logs = var_dir / "logs"
    logs.mkdir()
    sandbox = spawn(
        [sys.executable, "manage.py", "syndication_sandbox", "--port", str(sandbox_port), "--state", "",
         "--publish-seconds", str(args.publish_seconds), "--posts-per-hour", "100000"],
        logs / "sandbox.log",
    )  # fmt: skip
    worker = spawn(
        [sys.executable, "-m", "celery", "-A", "cms", "worker", "-B", "-P", "prefork", "-c", str(args.concurrency),
         "-Q", "celery,syndication", "--without-mingle", "--without-gossip", "--loglevel", "WARNING",
         "-s", str(var_dir / "beat-schedule")],
        logs / "worker.log",
    )  # fmt: skip
    try:
        wait_for_http(sandbox_url + "/_sandbox/state")
        pages = draft_pages(args.latency_pages + args.pages, accounts)
        print(f"{len(pages)} drafts opted into WeChat and Weibo", flush=True)

        # Latency: pages approved one at a time, the worker idle between them; no rate limit is reached.
        latency_pages = pages[: args.latency_pages]
        for page in latency_pages:
            release(page)
            time.sleep(args.spacing)
        wait_until_final(latency_pages, args.timeout)
        latency = latencies(latency_pages)
        print_latency(latency, args)

        # Throughput: a burst of pages approved as fast as the gate allows, pushed under the configured limits.
        burst = pages[args.latency_pages :]
        started = time.monotonic()
        for page in burst:
            release(page)
        released = time.monotonic() - started
        finished = wait_until_final(burst, args.timeout, since=started)
        print_throughput(burst, released, finished, args)
        return 0 if latency and percentile(latency["submitted"], 0.95) <= 10 else 1
    finally:
        for process in (worker, sandbox):
            process.terminate()
        for process in (worker, sandbox):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def spawn(command, log_path):
    log = open(log_path, "wb")
    return subprocess.Popen(command, cwd=BASE_DIR, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)


def wait_for_http(url, timeout=60):
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            time.sleep(6)  # the sandbox registers the portal's accounts from the database every 5 s
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit(f"the sandbox did not start: {url}")


def make_accounts(args):
    import datetime

    from django.utils import timezone

    from cms.demo.newmedia import cover_image
    from syndication.models import Account

    cover = cover_image("基准测试封面", ((14, 76, 146), (46, 125, 214)))
    wechat = Account.objects.create(
        channel="wechat", name="宿迁交通（基准）", app_id="wxbench0000000001", secret_name="BENCH_WECHAT",
        default_cover=cover, default_author="宿迁交通",
    )  # fmt: skip
    weibo = Account.objects.create(
        channel="weibo", name="宿迁交通（基准）", app_id="9000000001", secret_name="BENCH_WEIBO",
        safe_domain="jtj.suqian.gov.cn", posts_per_hour=args.weibo_limit, weibo_uid="5900000001",
        weibo_access_token=secrets.token_urlsafe(24),
        weibo_token_expires_at=timezone.now() + datetime.timedelta(days=30),
    )  # fmt: skip
    return wechat, weibo


def draft_pages(count, accounts):
    from cms.departments.models import DepartmentPage
    from cms.disclosure.models import DisclosureItemPage
    from syndication.models import WeChatTarget, WeiboTarget
    from tests.syndication.titles import news_titles

    wechat, weibo = accounts
    department = DepartmentPage.objects.get(slug="bgs")
    pages = []
    for n, title in enumerate(news_titles(count)):
        page = DisclosureItemPage(
            title=title,
            slug=f"bench-newmedia-{n:04d}",
            live=False,
            category="gzdt",
            genre="xw",
            summary=f"{title}。",
            keywords="交通运输,工作动态",
            body=f"<p>{title}。</p><p>各县区交通运输局、局属各单位要细化工作措施，压实工作责任，确保各项任务落到实处。</p>",
        )
        department.add_child(instance=page)
        page.wechat_targets.add(WeChatTarget(account=wechat))
        page.weibo_targets.add(WeiboTarget(account=weibo, text=f"【宿迁交通】{title}"))
        page.save_revision()
        pages.append(DisclosureItemPage.objects.get(pk=page.pk))
    return pages


def release(page):
    """Submitted by the unit's editor and approved by the three reviewers, as in the admin."""
    from django.contrib.auth import get_user_model

    from cms.disclosure.models import DisclosureItemPage
    from cms.review.gate import approve_stage

    User = get_user_model()
    page.get_workflow().start(page, User.objects.get(username="bgs_editor"))
    for username in ("bgs_reviewer", "policy_reviewer", "text_reviewer"):
        state = DisclosureItemPage.objects.get(pk=page.pk).current_workflow_task_state
        approve_stage(state.task.specific, state, User.objects.get(username=username))


def wait_until_final(pages, timeout, since=None):
    from syndication.models import SyndicationJob

    started = since or time.monotonic()
    ids = [page.pk for page in pages]
    deadline = started + timeout
    while time.monotonic() < deadline:
        if not SyndicationJob.objects.filter(page_id__in=ids).active().exists():
            return time.monotonic() - started
        time.sleep(0.5)
    raise SystemExit(f"jobs still running after {timeout} s")


def latencies(pages):
    import datetime

    from syndication.models import JobState, SyndicationJob

    result = {"submitted": [], "wechat": [], "weibo": []}
    for job in SyndicationJob.objects.filter(page__in=pages, state=JobState.PUBLISHED).select_related(
        "release"
    ):
        released = job.release.released_at
        if job.channel == "wechat":
            submitted = datetime.datetime.fromisoformat(job.remote["submitted_at"])
            result["submitted"].append((submitted - released).total_seconds())
            result["wechat"].append((job.finished_at - released).total_seconds())
        else:
            result["weibo"].append((job.finished_at - released).total_seconds())
    return result


def print_latency(latency, args):
    print(
        f"\nlatency from the gate's approval, {args.latency_pages} pages ({args.spacing} s apart, no rate limit):"
    )
    rows = []
    for key, label in (
        ("submitted", "WeChat submitted (freepublish/submit accepted)"),
        ("wechat", f"WeChat published (sandbox publishes in {args.publish_seconds} s)"),
        ("weibo", "Weibo posted"),
    ):
        values = latency[key]
        rows.append(
            [label, len(values), f"{percentile(values, 0.5):.2f} s", f"{percentile(values, 0.95):.2f} s"]
        )
    print_table(["", "n", "p50", "p95"], rows)
    verdict = "MET" if percentile(latency["submitted"], 0.95) <= 10 else "MISSED"
    print(f"target p95 ≤ 10 s from approval to submitted: {verdict}")


def print_throughput(pages, released, finished, args):
    from syndication.models import JobState, SyndicationJob

    jobs = SyndicationJob.objects.filter(page__in=pages)
    states = {
        state: jobs.filter(state=state).count()
        for state in JobState.values
        if jobs.filter(state=state).exists()
    }
    spans = {}
    for channel in ("wechat", "weibo"):
        done = jobs.filter(channel=channel, state=JobState.PUBLISHED).order_by("finished_at")
        first, last = done.first(), done.last()
        spans[channel] = (
            done.count(),
            (last.finished_at - first.release.released_at).total_seconds() if last else 0,
        )
    quota_hits = sum(
        1 for job in jobs.filter(channel="weibo") for h in job.history if h.get("code") == "20016"
    )
    print(f"\nthroughput, {len(pages)} pages approved in a burst ({released:.0f} s through the gate, all pushed "
          f"{finished:.0f} s after the first approval); jobs: {states}")  # fmt: skip
    rows = []
    for channel, limit in (("wechat", "none"), ("weibo", f"{args.weibo_limit} posts / {args.rate_window} s")):
        count, span = spans[channel]
        rows.append([channel, limit, count, f"{span:.0f} s", f"{count / span:.2f} /s" if span else "-"])
    print_table(["channel", "configured limit", "posted", "first approval → last post", "rate"], rows)
    print(f"Weibo 20016 (out of limit) answers: {quota_hits} — the pacing keeps the account under its limit")


if __name__ == "__main__":
    sys.exit(main())
