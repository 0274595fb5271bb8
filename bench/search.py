"""Benchmark of site search at 100,000 items: index build time, query latency and recall.

    .venv/bin/python bench/search.py [--items N] [--queries Q] [--database-url URL] [--keep]

Everything runs against a throwaway database and var/ directory (``bench.run.run_in_throwaway_site``):

1. ``migrate``, ``collectstatic``, ``load_demo``; then N published items (default 100,000) bulk-inserted
   with ``bench.run.fill_items``, their text generated from the demo content's own vocabulary: sentences
   of the bureau's documents with their place names, roads, waterways, projects, dates and figures varied,
   titles after the real columns' patterns, 关键词 and 内容概述.
2. ``update_index``: the whole index built from scratch, timed (items per second).
3. Queries drawn from the items: 2–6 character strings cut from random items' text (words and arbitrary
   substrings alike), and multi-term queries (two or three words of one item). Each is run once to warm
   up, then ``--repeat`` times; the median is its latency. Two operations are timed:
   - *search*: the search page's queryset (live, public pages of the site) ``.search(q)``, its count and
     its first 20 results: what a caller of Wagtail's search API pays;
   - *page*: the whole search page through Django's test client (groups and their counts, results,
     snippets, template).
4. Recall and precision against substring truth: an item is relevant when every term of the query is a
   substring of its indexed text (title, body, 关键词, 内容概述, 文号, 索引号, 发布机构), normalised as the
   search box normalises (NFKC, lower case). Also printed: the recall an index of jieba search-mode words
   alone would have had on a sample of items (why the index uses bigrams).

Targets: search p95 ≤ 50 ms, recall ≥ 0.98, full index build ≤ 10 minutes. A missed target is printed;
the exit status is 0 (this is a measurement).
"""

import argparse
import io
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SEED = 20190618
TARGET_P95_MS = 50
TARGET_RECALL = 0.98
TARGET_BUILD_S = 600

PLACES = [
    "宿城区",
    "宿豫区",
    "沭阳县",
    "泗阳县",
    "泗洪县",
    "湖滨新区",
    "洋河新区",
    "苏宿工业园区",
    "经济技术开发区",
]
ROADS = [
    "G25长深高速",
    "G2513淮徐高速",
    "S325省道",
    "G205国道",
    "S245省道",
    "宿连航道",
    "京杭运河宿迁段",
    "徐宿淮盐铁路",
]
PROJECTS = [
    "宿迁港中心港区码头工程",
    "农村公路提档升级工程",
    "城市公交枢纽站",
    "骆马湖大桥改造",
    "综合客运枢纽",
    "船闸扩容工程",
    "公交候车亭",
    "危桥改造工程",
]
TITLES = {
    "zcwj": [
        "{unit}关于进一步加强{topic}管理的实施意见",
        "关于印发《宿迁市{topic}管理办法》的通知",
        "{place}{topic}实施方案",
    ],
    "zcjd": ["《关于进一步加强{topic}管理的实施意见》政策解读", "图解：{topic}新政策"],
    "gzdt": ["{unit}召开{topic}工作推进会", "{place}{project}建设进展顺利", "{road}{topic}专项行动取得成效"],
    "tzgg": [
        "关于做好{year}年{topic}有关工作的通知",
        "关于{road}临时交通管制的公告",
        "{unit}关于{topic}的通告",
    ],
    "xzzf": ["{place}交通运输行政执法公示（{year}年第{n}期）", "关于{topic}行政处罚决定的公示"],
    "bsfw": ["{topic}办事指南", "{topic}许可办理流程"],
    "zdxm": ["{project}{year}年进展情况", "{project}批准信息"],
    "ggzypz": ["{project}招标公告", "{project}中标候选人公示"],
}
TOPICS = [
    "道路运输安全",
    "出租汽车经营许可",
    "网络预约出租汽车",
    "机动车驾驶员培训",
    "农村公路养护",
    "内河航道",
    "港口经营",
    "城市公交",
    "危险货物运输",
    "超限超载治理",
    "交通工程质量监督",
    "政务公开",
    "12345热线工单办理",
    "绿色通道",
    "船舶检验",
    "公路路政",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="published items (default 100000)")
    parser.add_argument("--queries", type=int, default=120, help="queries in the set (default 120)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query (default 3)")
    parser.add_argument("--jieba-sample", type=int, default=3000, help="items for the jieba comparison")
    parser.add_argument(
        "--database-url",
        help="a database to create, fill and drop (default: SQLite in a temporary directory); "
        "e.g. postgres://postgres@127.0.0.1:5432/bench_search — it must not exist yet",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    return parser.parse_args(argv)


# Content --------------------------------------------------------------------------------------------------


def sentence_pool():
    """Sentences of the demo's documents: the bureau's own vocabulary and phrasing."""
    from cms.demo import content

    pool = []
    for item in content.ITEMS:
        for paragraph in item["body"]:
            pool += [s for s in re.split(r"(?<=[。；！？])", paragraph) if len(s) >= 12]
    keywords = sorted({k for item in content.ITEMS for k in re.split(r"[,，、]", item["keywords"]) if k})
    return pool, keywords


class Generator:
    """Varied item text: demo sentences with their named places, roads and figures replaced."""

    def __init__(self):
        self.sentences, self.keywords = sentence_pool()
        self.swaps = [
            (re.compile("|".join(map(re.escape, PLACES))), PLACES),
            (re.compile(r"\d{4}年"), [f"{y}年" for y in range(2015, 2026)]),
            (re.compile(r"\d+(?:\.\d+)?(?=公里|万元|亿元|个|座|辆|艘|家|人次|天)"), None),
        ]

    def sentence(self, rng):
        text = rng.choice(self.sentences)
        for pattern, choices in self.swaps:
            if choices is None:
                text = pattern.sub(lambda _m: str(rng.randint(2, 980)), text)
            else:
                text = pattern.sub(lambda _m, c=choices: rng.choice(c), text)
        if rng.random() < 0.3:
            text += f"涉及{rng.choice(ROADS)}、{rng.choice(PROJECTS)}等。"
        return text

    def __call__(self, rng, department, category, topic, n):
        values = {
            "unit": department.short_name,
            "topic": rng.choice(TOPICS),
            "place": rng.choice(PLACES),
            "road": rng.choice(ROADS),
            "project": rng.choice(PROJECTS),
            "year": rng.randint(2015, 2025),
            "n": n % 52 + 1,
        }
        pattern = rng.choice(TITLES.get(category, ["{unit}{topic}信息公开"]))
        title = pattern.format(**values) + f"（{n}）"
        sentences = [self.sentence(rng) for _ in range(rng.randint(6, 18))]
        paragraphs = []
        while sentences:
            size = rng.randint(1, 4)
            paragraphs.append("".join(sentences[:size]))
            sentences = sentences[size:]
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        keywords = ",".join(rng.sample(self.keywords, 3) + [values["topic"]])
        return title, body, keywords, paragraphs[0][:90]


# Truth ------------------------------------------------------------------------------------------------------


def item_texts():
    """{pk: normalised indexed text} of every live item, read back from the database."""
    from django.utils.html import strip_tags

    from cms.departments.models import DepartmentPage
    from cms.disclosure.models import DisclosureItemPage
    from search import text

    units = {p: (t, s) for p, t, s in DepartmentPage.objects.values_list("path", "title", "short_name")}
    texts = {}
    rows = DisclosureItemPage.objects.live().values_list(
        "pk",
        "path",
        "title",
        "body",
        "keywords",
        "summary",
        "document_number",
        "index_number",
        "publisher_name",
    )
    for pk, path, title, body, *fields in rows.iterator(chunk_size=5000):
        unit = units.get(path[:-4], ("", ""))
        parts = [title, strip_tags(body), *fields, *unit]
        texts[pk] = "|".join(text.normalize(p) for p in parts if p)
    return texts


def draw_queries(texts, count, seed=SEED):
    """Half 2–6 character strings cut from random items' text, half two or three terms of one item."""
    from search import text

    rng = random.Random(seed)
    pks = sorted(texts)
    singles, multis = [], []
    cjk_run = re.compile(f"[{text.CJK}]{{2,}}")
    while len(singles) < count // 2 or len(multis) < count - count // 2:
        runs = cjk_run.findall(texts[rng.choice(pks)])
        if not runs:
            continue
        if len(singles) < count // 2:
            run = rng.choice(runs)
            size = rng.randint(2, min(6, len(run)))
            start = rng.randint(0, len(run) - size)
            singles.append(run[start : start + size])
        else:
            words = [w for w in text.split_words(rng.choice(runs)) if len(w) >= 2]
            words += [w for w in text.split_words(rng.choice(runs)) if len(w) >= 2]
            words = sorted(set(words))
            if len(words) >= 2:
                multis.append(" ".join(rng.sample(words, rng.choice([2, 2, 3]) if len(words) > 2 else 2)))
    return singles, multis


def relevant(texts, query):
    terms = query.split()
    return {pk for pk, body in texts.items() if all(term in body for term in terms)}


def jieba_recall(texts, queries, sample_size, seed=SEED):
    """Recall on a sample if the index held jieba search-mode words only (a query matches an item whose
    words include every word of the query's own segmentation)."""
    from search import text

    rng = random.Random(seed)
    sample = {pk: texts[pk] for pk in rng.sample(sorted(texts), min(sample_size, len(texts)))}
    words = {pk: set(text.search_words(body)) for pk, body in sample.items()}
    hits = total = 0
    for query in queries:
        truth = relevant(sample, query)
        need = set(text.search_words(query)) - {" "}
        found = {pk for pk in truth if need <= words[pk]}
        hits += len(found)
        total += len(truth)
    return hits / total if total else None


# Measuring ---------------------------------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(function, repeat):
    function()  # warm-up
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def measure(queries, texts, repeat, client):
    from wagtail.models import Page

    from search.site_search import public_pages

    rows = []
    for query in queries:

        def core(q=query):
            results = public_pages(Page.objects.live()).search(q)
            results.count()
            list(results[:20])

        def page(q=query):
            response = client.get("/search/", {"q": q})
            assert response.status_code == 200, (q, response.status_code)

        truth = relevant(texts, query)
        found = {p.pk for p in public_pages(Page.objects.live()).only("pk").search(query)} & texts.keys()
        rows.append(
            {
                "query": query,
                "search_ms": timed(core, repeat),
                "page_ms": timed(page, 1),
                "relevant": len(truth),
                "found": len(found),
                "hits": len(truth & found),
            }
        )
    return rows


def summary(label, rows):
    search = [r["search_ms"] for r in rows]
    page = [r["page_ms"] for r in rows]
    relevant_total = sum(r["relevant"] for r in rows)
    found_total = sum(r["found"] for r in rows)
    hits = sum(r["hits"] for r in rows)
    return {
        "label": label,
        "queries": len(rows),
        "search_p50": percentile(search, 0.5),
        "search_p95": percentile(search, 0.95),
        "search_max": max(search),
        "page_p50": percentile(page, 0.5),
        "page_p95": percentile(page, 0.95),
        "recall": hits / relevant_total if relevant_total else 1.0,
        "precision": hits / found_total if found_total else 1.0,
        "median_relevant": statistics.median(r["relevant"] for r in rows),
    }


def benchmark(args, database, var_dir):
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from bench.run import analyze, build_site, fill_items, lap
    from cms.disclosure.models import DisclosureItemPage
    from search.models import IndexEntry

    print(f"database: {database.vendor}, var: {var_dir}", flush=True)
    build_site()
    started = time.perf_counter()
    fill_items(args.items, seed=SEED, content=Generator())
    analyze(database.vendor, True)
    items = DisclosureItemPage.objects.live().count()
    lap(f"bulk insert: {items} live items", started)

    started = time.perf_counter()
    call_command("update_index", verbosity=0, stdout=io.StringIO())
    build_s = time.perf_counter() - started
    entries = IndexEntry.objects.count()
    print(
        f"  update_index: {entries} entries in {build_s:.1f} s ({entries / build_s:.0f} objects/s)",
        flush=True,
    )

    started = time.perf_counter()
    texts = item_texts()
    singles, multis = draw_queries(texts, args.queries)
    lengths = Counter(len(q) for q in singles)
    lap(f"truth: {len(texts)} item texts; {len(singles)} single queries {dict(sorted(lengths.items()))}, "
        f"{len(multis)} multi-term", started)  # fmt: skip

    client = Client(HTTP_HOST="localhost")
    started = time.perf_counter()
    single_rows = measure(singles, texts, args.repeat, client)
    multi_rows = measure(multis, texts, args.repeat, client)
    lap("queries measured", started)
    started = time.perf_counter()
    jieba = jieba_recall(texts, singles + multis, args.jieba_sample)
    lap(f"jieba comparison on {args.jieba_sample} items", started)

    report(database, items, entries, build_s, [summary("2–6 characters", single_rows),
           summary("multi-term", multi_rows), summary("all", single_rows + multi_rows)],
           single_rows + multi_rows, jieba)  # fmt: skip
    return 0


def report(database, items, entries, build_s, summaries, rows, jieba):
    print()
    headers = [
        "queries",
        "n",
        "search p50",
        "search p95",
        "search max",
        "page p50",
        "page p95",
        "recall",
        "precision",
        "median relevant",
    ]
    print(" | ".join(headers))
    for s in summaries:
        print(
            f"{s['label']} | {s['queries']} | {s['search_p50']:.1f} ms | {s['search_p95']:.1f} ms | "
            f"{s['search_max']:.1f} ms | {s['page_p50']:.1f} ms | {s['page_p95']:.1f} ms | {s['recall']:.4f} | "
            f"{s['precision']:.4f} | {s['median_relevant']:.0f}"
        )
    slowest = sorted(rows, key=lambda r: -r["search_ms"])[:5]
    print(
        "slowest: "
        + "; ".join(f"{r['query']} {r['search_ms']:.1f} ms ({r['relevant']} relevant)" for r in slowest)
    )
    missed = [r for r in rows if r["hits"] < r["relevant"]]
    if missed:
        print("missed: " + "; ".join(f"{r['query']} {r['hits']}/{r['relevant']}" for r in missed[:10]))
    if jieba is not None:
        print(
            f"an index of jieba search-mode words alone would have recall {jieba:.4f} on the same queries (sample)"
        )
    overall = summaries[-1]
    print(f"\nitems: {items}, index entries: {entries}, database: {database.vendor}")
    checks = [
        (
            f"search p95 {overall['search_p95']:.1f} ms",
            overall["search_p95"] <= TARGET_P95_MS,
            f"≤ {TARGET_P95_MS} ms",
        ),
        (f"recall {overall['recall']:.4f}", overall["recall"] >= TARGET_RECALL, f"≥ {TARGET_RECALL}"),
        (f"index build {build_s:.0f} s", build_s <= TARGET_BUILD_S, f"≤ {TARGET_BUILD_S} s"),
    ]
    for label, ok, target in checks:
        print(f"{'MET ' if ok else 'MISSED'} {label} (target {target})")


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, str(BASE_DIR))
    from bench.run import run_in_throwaway_site

    return run_in_throwaway_site(args, benchmark, prefix="portal-bench-search-")


if __name__ == "__main__":
    sys.exit(main())
