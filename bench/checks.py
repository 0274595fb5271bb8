"""Benchmark of the editorial gate's automated content checks on one large draft.

    .venv/bin/python bench/checks.py [--repeat N] [--database-url URL] [--keep] [--profile]

Target: a 20,000-character page with five attachments is checked in at most 1 s, whether or not the text of
its attachments is already in the ``DocumentText`` cache.

Everything runs against a throwaway database and var/ directory (the helpers of ``bench/run.py``: SQLite in a
temporary directory by default, or a PostgreSQL database created and dropped here with --database-url). The
steps:

1. ``migrate`` (which seeds the 审核词库), then the site tree, a department and three published items with the
   test factories (published inside ``cms.review.gate.bypass``, so each publish runs the checks too).
2. A DisclosureItemPage draft (政策文件) whose 正文 holds at least 20,000 Chinese characters: paragraphs of the
   demo items' real text (cms/demo/content.py), shuffled and repeated, under a few ``<h2>`` headings, with
   internal page links, one external link and four planted findings: 党十九大 (political), 中国入民 (typo), an
   unmasked resident ID number with a correct check character and a mobile number. Metadata filled in.
3. Five attachments stored as Wagtail documents and attached in a new revision: two 10-page PDFs of Chinese
   text (reportlab, STSong-Light; an unmasked ID number on page 7 of the first), two DOCX of ~5,000
   characters and one XLSX 名单 of 500 rows with masked ID and mobile numbers.
4. ``check_page(revision object)`` and ``gate.run_checks(...)`` (which also saves a CheckReport), N times
   each with the DocumentText cache emptied before every run (cold) and N times with it filled (warm).

Printed: min/median/max ms and SQL queries per run, PASS/FAIL of the cold and warm medians against 1 s, the
findings by rule (and whether each planted finding was found where it was planted), the characters checked
and a breakdown of one cold and one warm run by phase. --profile adds the top functions of a cold run.

The exit status is 0 whatever the figures (this is a measurement); a missed target prints TARGET MISSED.
"""

import argparse
import cProfile
import datetime
import html
import io
import os
import pstats
import random
import re
import statistics
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

BASE_DIR = Path(__file__).resolve().parent.parent
SEED = 20190618
TARGET_MS = 1000
BODY_CJK_CHARS = 20_000
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


# Command line ---------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (default 5)")
    parser.add_argument(
        "--database-url",
        help="a database to create, use and drop (default: SQLite in a temporary directory); "
        "e.g. postgres://postgres@127.0.0.1:5432/bench_checks — it must not exist yet",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    parser.add_argument("--profile", action="store_true", help="cProfile one cold check_page run")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be >= 1")
    return args


# Content ----------------------------------------------------------------------------------------------------


def id_number(first17):
    """A resident ID number with its GB 11643 (ISO 7064 MOD 11-2) check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


BODY_ID = id_number("32130219870315451")
PDF_ID = id_number("32132219910822302")
BODY_MOBILE = "13951271234"
SECTION_HEADINGS = [
    "一、推进政务运行公开透明",
    "二、加强政策解读和回应关切",
    "三、深化重点领域信息公开",
    "四、强化办事服务信息公开",
    "五、加强政务公开平台建设",
    "六、完善政务公开制度规范",
    "七、强化组织保障",
]
# (rule, marker, where it is planted; the text added to a paragraph)
PLANTED = [
    ("political", "党十九大", "body", "全局上下要深入学习贯彻党十九大精神，"),
    ("typo", "中国入民", "body", "始终坚持全心全意为中国入民服务的根本宗旨。"),
    ("id_card", BODY_ID[-4:], "body", f"经核实，申请人王某某（身份证号码{BODY_ID}）已按要求补正材料。"),
    ("mobile", BODY_MOBILE[-4:], "body", f"联系人：李某，联系电话{BODY_MOBILE}。"),
    ("id_card", PDF_ID[-4:], "附件1第7页", f"申请人：赵某某，身份证号码：{PDF_ID}"),
]


def cjk_count(text):
    return len(CJK_RE.findall(text))


class ParagraphPool:
    """The demo items' body paragraphs of at least 40 characters, shuffled, reshuffled when used up."""

    def __init__(self, rng):
        from cms.demo.content import ITEMS

        self.rng = rng
        self.paragraphs = [p.strip() for item in ITEMS for p in item["body"] if len(p.strip()) >= 40]
        self.queue = []

    def next(self):
        if not self.queue:
            self.queue = self.paragraphs[:]
            self.rng.shuffle(self.queue)
        return self.queue.pop()

    def text(self, chars):
        out, size = [], 0
        while size < chars:
            out.append(self.next())
            size += len(out[-1])
        return out


def build_body(pool, link_targets):
    """Rich text (Wagtail DB format) with >= BODY_CJK_CHARS Chinese characters, links and planted findings."""
    paragraphs, cjk = [], 0
    while cjk < BODY_CJK_CHARS:
        paragraphs.append(html.escape(pool.next(), quote=False))
        cjk += cjk_count(paragraphs[-1])
    count = len(paragraphs)
    body_plants = [p for p in PLANTED if p[2] == "body"]
    for n, (_rule, _marker, _where, sentence) in enumerate(body_plants):
        i = int(count * (0.1 + 0.25 * n))
        paragraphs[i] = html.escape(sentence, quote=False) + paragraphs[i]
    for n, (pk, title) in enumerate(link_targets):
        i = int(count * (n + 0.5) / len(link_targets))
        paragraphs[i] += f'（详见<a linktype="page" id="{pk}">{html.escape(title)}</a>）'
    i = count // 2 + 3
    paragraphs[i] += '（政策原文见<a href="https://www.gov.cn/zhengce/">中国政府网政策文件库</a>）'
    every = -(-count // len(SECTION_HEADINGS))
    blocks = []
    for i, paragraph in enumerate(paragraphs):
        if i % every == 0:
            blocks.append(f"<h2>{SECTION_HEADINGS[i // every]}</h2>")
        blocks.append(f"<p>{paragraph}</p>")
    return "".join(blocks)


def wrap(paragraphs, width):
    lines = []
    for paragraph in paragraphs:
        lines += [paragraph[i : i + width] for i in range(0, len(paragraph), width)]
    return lines


def pdf_pages(pool, pages=10, lines_per_page=36, width=34, plant=None):
    """``pages`` strings of ``lines_per_page`` lines of ``width`` characters; ``plant`` = (page number, line
    of text put in place of that page's 13th line)."""
    lines = wrap(pool.text(pages * lines_per_page * width), width)
    out = []
    for n in range(pages):
        page = lines[n * lines_per_page : (n + 1) * lines_per_page]
        if plant is not None and n + 1 == plant[0]:
            page[12] = plant[1]
        out.append("\n".join(page))
    return out


# Minimal OOXML packages, built as tests/review/test_text_and_extract.py builds them.

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def relationships(rels):
    items = "".join(
        f'<Relationship Id="{rid}" Type="{R_NS}/{kind}" Target="{target}"/>' for rid, kind, target in rels
    )
    return f'{XML_DECL}<Relationships xmlns="{REL_NS}">{items}</Relationships>'


def content_types(overrides):
    items = "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
    return (
        f'{XML_DECL}<Types xmlns="{CT_NS}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>'
    )


def zip_package(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content.encode())
    return buf.getvalue()


def w_paragraph(text):
    return f'<w:p><w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>'


def w_part(root, body):
    return f'{XML_DECL}<w:{root} xmlns:w="{W_NS}" xmlns:r="{R_NS}">{body}</w:{root}>'


def make_docx(title, paragraphs, header):
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    body = "".join(w_paragraph(p) for p in [title, *paragraphs])
    return zip_package(
        {
            "[Content_Types].xml": content_types(
                [
                    ("/word/document.xml", f"{main}.document.main+xml"),
                    ("/word/header1.xml", f"{main}.header+xml"),
                    ("/word/footer1.xml", f"{main}.footer+xml"),
                ]
            ),
            "_rels/.rels": relationships([("rId1", "officeDocument", "word/document.xml")]),
            "word/_rels/document.xml.rels": relationships(
                [("rId1", "header", "header1.xml"), ("rId2", "footer", "footer1.xml")]
            ),
            "word/document.xml": w_part("document", f"<w:body>{body}<w:sectPr/></w:body>"),
            "word/header1.xml": w_part("hdr", w_paragraph(header)),
            "word/footer1.xml": w_part("ftr", w_paragraph("—  1  —")),
        }
    )


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕红梅玉兰晓东春生文博子轩"
UNITS = ["宿迁市公共交通有限公司", "宿迁交通运输集团有限公司", "宿城区城乡客运有限公司", "宿豫区顺达货运有限公司",
         "泗阳县众利物流有限公司", "沭阳县安通驾驶员培训有限公司", "泗洪县通达客运有限公司"]  # fmt: skip
QUALIFICATIONS = ["道路旅客运输驾驶员", "道路货物运输驾驶员", "危险货物运输驾驶员", "出租汽车驾驶员",
                  "机动车驾驶培训教练员"]  # fmt: skip
REGIONS = ["321302", "321311", "321322", "321323", "321324", "320802", "341302"]


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(text)}</t></is></c>'


def make_xlsx(rows, rng):
    """A 名单: 序号, 姓名, 性别, 身份证号码 and 联系电话 (masked), 从业资格类别, 所在单位; shared strings for the
    repeated values, inline strings for the rest."""
    headers = ["序号", "姓名", "性别", "身份证号码", "联系电话", "从业资格类别", "所在单位", "审核结果"]
    shared = headers + ["男", "女", "合格", *QUALIFICATIONS, *UNITS]
    index = {s: i for i, s in enumerate(shared)}

    def s(ref, text):
        return f'<c r="{ref}" t="s"><v>{index[text]}</v></c>'

    cells = [s(f"{chr(65 + i)}1", h) for i, h in enumerate(headers)]
    sheet = [f'<row r="1">{"".join(cells)}</row>']
    for n in range(1, rows + 1):
        r = n + 1
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        masked_id = rng.choice(REGIONS) + "*" * 8 + f"{rng.randrange(1000):03d}" + rng.choice("0123456789X")
        masked_mobile = f"1{rng.choice('3589')}{rng.randrange(10)}****{rng.randrange(10000):04d}"
        sheet.append(
            f'<row r="{r}"><c r="A{r}"><v>{n}</v></c>{inline(f"B{r}", name)}{s(f"C{r}", rng.choice("男女"))}'
            f"{inline(f'D{r}', masked_id)}{inline(f'E{r}', masked_mobile)}"
            f"{s(f'F{r}', rng.choice(QUALIFICATIONS))}{s(f'G{r}', rng.choice(UNITS))}{s(f'H{r}', '合格')}</row>"
        )
    sis = "".join(f"<si><t>{xml_escape(text)}</t></si>" for text in shared)
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return zip_package(
        {
            "[Content_Types].xml": content_types(
                [
                    ("/xl/workbook.xml", f"{main}.sheet.main+xml"),
                    ("/xl/worksheets/sheet1.xml", f"{main}.worksheet+xml"),
                    ("/xl/sharedStrings.xml", f"{main}.sharedStrings+xml"),
                ]
            ),
            "_rels/.rels": relationships([("rId1", "officeDocument", "xl/workbook.xml")]),
            "xl/workbook.xml": f'{XML_DECL}<workbook xmlns="{S_NS}" xmlns:r="{R_NS}"><sheets>'
            '<sheet name="审核名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": relationships(
                [
                    ("rId1", "worksheet", "worksheets/sheet1.xml"),
                    ("rId2", "sharedStrings", "sharedStrings.xml"),
                ]
            ),
            "xl/worksheets/sheet1.xml": f'{XML_DECL}<worksheet xmlns="{S_NS}" xmlns:r="{R_NS}"><sheetData>'
            f"{''.join(sheet)}</sheetData></worksheet>",
            "xl/sharedStrings.xml": f'{XML_DECL}<sst xmlns="{S_NS}" count="{len(shared)}" '
            f'uniqueCount="{len(shared)}">{sis}</sst>',
        }
    )


# The site and the draft ---------------------------------------------------------------------------------


@dataclass
class Draft:
    page: object  # the DisclosureItemPage row
    revision: object  # its latest revision, the one checked
    attachment_titles: list
    body_paragraph_count: int


def build_site():
    from django.core.management import call_command

    from bench.run import lap

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    lap("migrate (with the seeded 审核词库)", started)

    from tests import factories

    started = time.perf_counter()
    tree = factories.site_tree()
    department = factories.make_department(
        tree["departments"],
        title="宿迁市交通运输局办公室",
        short_name="办公室",
        slug="bgs",
        org_code="014319557",
    )
    items = factories.make_items(department, 3)
    lap(f"site tree, department and {len(items)} published items (factories)", started)
    return tree, department, items


def build_draft(tree, department, items):
    from bench.run import lap
    from cms.disclosure.models import DisclosureAttachment
    from cms.disclosure.vocabularies import Category, Genre
    from cms.review.checks.text import html_to_paragraphs
    from tests import factories
    from tests.review.conftest import make_document, pdf_bytes

    started = time.perf_counter()
    rng = random.Random(SEED)
    pool = ParagraphPool(rng)
    columns = tree["columns"]
    link_pages = [
        tree["disclosure"],
        tree["catalogue"],
        columns[Category.POLICY],
        columns[Category.INTERPRETATION],
        department,
        *items,
    ]
    body = build_body(pool, [(p.pk, p.title) for p in link_pages])
    page = factories.make_item(
        department,
        category=Category.POLICY,
        live=False,
        title="宿迁市交通运输局关于印发《宿迁市交通运输局政务公开工作实施细则》的通知",
        slug="zwgk-ssxz",
        body=body,
        genre=Genre.NOTICE,
        document_number="宿交发〔2019〕58号",
        written_date=datetime.date(2019, 6, 17),
        summary="印发局政务公开工作实施细则，明确主动公开、政策解读、回应关切、平台建设和监督考核等方面的具体要求。",
        keywords="政务公开,实施细则,政策解读,信息公开",
        source="宿迁市交通运输局办公室",
    )
    page.full_clean()

    header = "宿迁市交通运输局文件"
    attachments = [
        (
            "附件1：宿迁市交通运输局行政许可事项办理情况公示（2019年上半年）",
            "fujian1-xkgs.pdf",
            pdf_bytes(pdf_pages(pool, plant=(7, PLANTED[4][3]))),
        ),
        ("附件2：宿迁市交通运输局政务公开工作考核细则", "fujian2-khxz.pdf", pdf_bytes(pdf_pages(pool))),
        (
            "附件3：《政务公开工作实施细则》起草说明",
            "fujian3-qcsm.docx",
            make_docx("《政务公开工作实施细则》起草说明", pool.text(5000), header),
        ),
        (
            "附件4：《政务公开工作实施细则》政策解读",
            "fujian4-zcjd.docx",
            make_docx("《政务公开工作实施细则》政策解读", pool.text(5000), header),
        ),
        ("附件5：2019年道路运输从业人员从业资格审核名单", "fujian5-md.xlsx", make_xlsx(500, rng)),
    ]
    documents = [make_document(title, filename, data) for title, filename, data in attachments]
    page.attachments = [DisclosureAttachment(document=d) for d in documents]
    page.save_revision()
    sizes = ", ".join(f"{d.file.name.rsplit('/', 1)[-1]} {d.file_size / 1024:.0f} KB" for d in documents)
    lap(f"draft with five attachments ({sizes})", started)
    return Draft(
        page, page.get_latest_revision(), [d.title for d in documents], len(html_to_paragraphs(body))
    )


def load_draft(draft):
    """The draft as the gate sees it: the latest revision as a page object, built afresh for every run."""
    return draft.page.get_latest_revision_as_object()


# Measuring -------------------------------------------------------------------------------------------------


@dataclass
class Run:
    ms: float
    queries: int
    result: object


@dataclass
class Series:
    label: str
    cold: bool
    runs: list = field(default_factory=list)

    @property
    def times(self):
        return [r.ms for r in self.runs]

    @property
    def median(self):
        return statistics.median(self.times)

    @property
    def passed(self):
        return self.median <= TARGET_MS


def clear_cache():
    from cms.review.models import DocumentText

    DocumentText.objects.all().delete()


def measure(label, call, draft, repeat, cold):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    series = Series(label, cold)
    for _ in range(repeat):
        if cold:
            clear_cache()
        page = load_draft(draft)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = call(page, draft.revision)
            elapsed = (time.perf_counter() - started) * 1000
        series.runs.append(Run(elapsed, len(captured.captured_queries), result))
    return series


def call_check_page(page, _revision):
    from cms.review.checks.engine import check_page

    return check_page(page)


def call_run_checks(page, revision):
    from cms.review.gate import run_checks
    from cms.review.models import CheckReport

    return run_checks(page, CheckReport.Trigger.EDITOR, revision=revision)


def phases(draft, cold):
    """One run split into the engine's steps (the same calls as ``check_page``), in ms."""
    from cms.review.checks import engine
    from cms.review.checks.dictionary import Matcher
    from cms.review.checks.personal import find_personal_data

    if cold:
        clear_cache()
    page = load_draft(draft)
    out = {}

    def step(name, fn):
        started = time.perf_counter()
        value = fn()
        out[name] = out.get(name, 0) + (time.perf_counter() - started) * 1000
        return value

    rules = step("dictionary: load rules + build matcher", engine.load_rules)
    matcher = step("dictionary: load rules + build matcher", lambda: Matcher(rules))
    texts = step("page texts (rich text → paragraphs)", lambda: list(engine.page_texts(page)))
    plain = [t for _location, t, h in texts if h is None]
    step("page texts: dictionary scan", lambda: [matcher.scan(t) for t in plain])
    step("page texts: personal data", lambda: [find_personal_data(t) for t in plain])
    html_sources = [(location, h) for location, _t, h in texts if h is not None]
    allow = [r.term for r in rules if r.kind == "link_allow"]
    links = step(
        "links: parse rich text",
        lambda: [(loc, link) for loc, html in html_sources for link in engine.links_in_html(html)],
    )
    step("links", lambda: engine.check_links(links, allow))
    step("metadata", lambda: engine.check_metadata(page))
    documents = step("attachments: documents", lambda: engine.attachment_documents(page, links))
    parts = step(
        "attachments: text (" + ("extract + cache" if cold else "from cache") + ")",
        lambda: engine.document_parts(documents),
    )
    texts = [t for doc_parts, _error in parts.values() for t in doc_parts]
    step("attachments: dictionary scan", lambda: [matcher.scan(t) for t in texts])
    step("attachments: personal data", lambda: [find_personal_data(t) for t in texts])
    return out


def extraction_by_document(draft):
    """Extraction time of each attachment alone (no database), in ms."""
    from cms.review.checks.extract import extract_text

    out = []
    for attachment in load_draft(draft).attachments.all():
        document = attachment.document
        with document.file.open("rb") as fh:
            data = fh.read()
        started = time.perf_counter()
        extracted = extract_text(document.file.name, data)
        out.append((document, len(extracted.parts), (time.perf_counter() - started) * 1000))
    return out


def profile_cold_run(draft, top=10):
    from cms.review.checks.engine import check_page

    clear_cache()
    page = load_draft(draft)
    profiler = cProfile.Profile()
    profiler.enable()
    check_page(page)
    profiler.disable()
    for sort, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(sort).print_stats(top)
        lines = stream.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        print(f"\ncProfile of one cold check_page run, top {top} by {title}:")
        print("\n".join(lines[start - 1 : start + top + 1]))


# Reporting -------------------------------------------------------------------------------------------------


def characters_checked(draft):
    """(body chars, body CJK chars, other fields' chars, [(title, parts, chars)]) for the draft."""
    from cms.review.checks.engine import page_texts
    from cms.review.models import DocumentText

    page = load_draft(draft)
    body = other = body_cjk = 0
    for location, text, _html in page_texts(page):
        if text is None:
            continue
        if location.startswith("正文"):
            body += len(text)
            body_cjk += cjk_count(text)
        else:
            other += len(text)
    cached = {t.document_id: t.pages for t in DocumentText.objects.all()}
    attachments = []
    for attachment in page.attachments.all():
        pages = cached.get(attachment.document_id, [])
        attachments.append((attachment.document.title, len(pages), sum(len(p) for p in pages)))
    return body, body_cjk, other, attachments


def planted_report(findings):
    rows = []
    for rule, marker, where, _sentence in PLANTED:
        hits = [
            f
            for f in findings
            if f.rule == rule
            and marker in (f.match or "") + (f.context or "")
            and (f.location.startswith("正文") if where == "body" else f.location.endswith("第7页"))
        ]
        rows.append([rule, "正文" if where == "body" else where, hits[0].location if hits else "—",
                     "found" if hits else "MISSING"])  # fmt: skip
    return rows


def report(series, args, database, draft, first_cold, phase_cold, phase_warm, per_document):
    from bench.run import print_table

    print()
    rows = [["check_page, first run in this process (cold)", 1, *[f"{first_cold.ms:.0f}"] * 3,
             first_cold.queries, "", ""]]  # fmt: skip
    for s in series:
        queries = sorted({r.queries for r in s.runs})
        rows.append(
            [
                s.label,
                len(s.runs),
                f"{min(s.times):.0f}",
                f"{s.median:.0f}",
                f"{max(s.times):.0f}",
                "/".join(map(str, queries)),
                f"≤ {TARGET_MS} ms",
                "PASS" if s.passed else "FAIL",
            ]
        )
    print_table(["measurement", "runs", "min ms", "median ms", "max ms", "queries", "target", "result"], rows)

    findings = series[0].runs[0].result.findings
    by_rule = Counter((f.rule, f.severity) for f in findings)
    print(f"\nfindings: {len(findings)} ({sum(1 for f in findings if f.blocks)} blocking)")
    print_table(
        ["rule", "severity", "count", "locations (first 4)"],
        [
            [rule, severity, count, "; ".join(locations_of(findings, rule, severity)[:4])]
            for (rule, severity), count in sorted(by_rule.items())
        ],
    )
    same = all(
        [f.as_dict() for f in r.result.findings] == [f.as_dict() for f in findings]
        for s in series
        if s.label.startswith("check_page")
        for r in s.runs
    )
    print(f"every check_page run gave the same findings: {'yes' if same else 'NO'}")
    print("\nplanted findings:")
    print_table(["rule", "planted in", "reported at", ""], planted_report(findings))

    body, body_cjk, other, attachments = characters_checked(draft)
    attachment_chars = sum(chars for _t, _p, chars in attachments)
    print(
        f"\ncharacters checked: {body + other + attachment_chars:,} = 正文 {body:,} ({body_cjk:,} Chinese, "
        f"{draft.body_paragraph_count} paragraphs and headings) + other fields {other:,} "
        f"+ attachments {attachment_chars:,}"
    )
    times = {document.title: ms for document, _parts, ms in per_document}
    print_table(
        ["attachment", "parts", "characters", "extraction ms (alone)"],
        [[title, parts, f"{chars:,}", f"{times.get(title, 0):.0f}"] for title, parts, chars in attachments],
    )

    print("\nwhere the time goes (one run each, ms):")
    names = list(dict.fromkeys([*phase_cold, *phase_warm]))
    print_table(
        ["step", "cold", "warm"],
        [[name, fmt(phase_cold.get(name)), fmt(phase_warm.get(name))] for name in names]
        + [["total", fmt(sum(phase_cold.values())), fmt(sum(phase_warm.values()))]],
    )

    print(
        f"\ndatabase: {database.vendor}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; "
        f"{args.repeat} runs per measurement, a fresh revision object each run "
        "(get_latest_revision_as_object, not timed). cold: DocumentText emptied before each run; warm: "
        "filled. run_checks also saves a CheckReport. The first run of the process (first use of pypdf, "
        "cold CPU caches) is shown apart and left out of the medians. Timings move with the machine's load: "
        "compare runs made with nothing else running."
    )
    missed = [s for s in series if not s.passed]
    if missed:
        print("\n" + "!" * 72)
        for s in missed:
            print(f"TARGET MISSED: {s.label}: median {s.median:.0f} ms > {TARGET_MS} ms")
        print("!" * 72)
    else:
        print(f"\nall medians within the {TARGET_MS} ms target")


def locations_of(findings, rule, severity):
    return [f.location for f in findings if f.rule == rule and f.severity == severity]


def fmt(value):
    return "" if value is None else f"{value:.1f}"


# Main -------------------------------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    sys.path.insert(0, str(BASE_DIR))  # the project's packages (cms, tests, bench…), whatever the directory
    from bench.run import run_in_throwaway_site

    run_in_throwaway_site(args, benchmark, prefix="portal-bench-checks-")
    return 0  # a measurement: a missed target is printed, not an exit status


def benchmark(args, database, var_dir):
    import django

    from bench.run import lap

    django.setup()
    print(f"database: {database.vendor}, var: {var_dir}", flush=True)
    tree, department, items = build_site()
    draft = build_draft(tree, department, items)

    started = time.perf_counter()
    clear_cache()
    first = measure("first", call_check_page, draft, 1, cold=True).runs[0]
    series = [
        measure("check_page, cold (DocumentText emptied)", call_check_page, draft, args.repeat, cold=True),
        measure("check_page, warm (DocumentText filled)", call_check_page, draft, args.repeat, cold=False),
        measure("run_checks, cold (+ CheckReport saved)", call_run_checks, draft, args.repeat, cold=True),
        measure("run_checks, warm (+ CheckReport saved)", call_run_checks, draft, args.repeat, cold=False),
    ]
    phase_cold = phases(draft, cold=True)
    phase_warm = phases(draft, cold=False)
    per_document = extraction_by_document(draft)
    lap(f"measurements ({4 * args.repeat + 3} check runs)", started)
    report(series, args, database, draft, first, phase_cold, phase_warm, per_document)
    if args.profile:
        profile_cold_run(draft)


if __name__ == "__main__":
    sys.exit(main())
