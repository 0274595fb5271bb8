"""Rich text to paragraphs/links, and attachment text extraction (PDF, DOCX, XLSX, TXT/CSV)."""

import io
import time
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from cms.review.checks.extract import Extracted, UnreadableDocument, UnsupportedDocument, extract_text
from cms.review.checks.personal import find_personal_data
from cms.review.checks.text import context_around, html_to_paragraphs, links_in_html

ID_NUMBER = "321302198503171233"  # valid check character, see test_personal_data
MOBILE = "13812345678"

# --- rich text ----------------------------------------------------------------------------------------------


def test_html_to_paragraphs_splits_blocks_and_unescapes():
    html = (
        "<h2>一、 工作&nbsp;目标</h2>"
        "<p>宿迁市交通运输局&amp;市公路事业发展中心\n  联合发布。<br/>第二行&lt;注&gt;</p>"
        "<p>  </p>"
        "<ul><li>第一项</li><li><b>第二</b>项</li></ul>"
        "<blockquote>引用内容</blockquote>"
        "<table><tr><th>姓名</th><td>张某</td></tr></table>"
        '<p>详见<a linktype="page" id="3">通知</a>。</p>'
        "<script>var x = '不是正文';</script>"
        "<div>末段</div>"
    )
    assert html_to_paragraphs(html) == [
        "一、 工作 目标",
        "宿迁市交通运输局&市公路事业发展中心 联合发布。",
        "第二行<注>",
        "第一项",
        "第二项",
        "引用内容",
        "姓名",
        "张某",
        "详见通知。",
        "末段",
    ]


def test_html_to_paragraphs_handles_text_outside_blocks_and_empty_input():
    assert html_to_paragraphs("开头文字<p>段落</p>结尾") == ["开头文字", "段落", "结尾"]
    assert html_to_paragraphs("") == []
    assert html_to_paragraphs("<p>\u3000\u3000全角空格缩进</p>") == ["全角空格缩进"]


def test_links_in_html():
    html = (
        '<p>见<a linktype="page" id="3">关于印发通知</a>和<a linktype="document" id="7">附件 1</a>，'
        '以及<a href="https://www.gov.cn/zhengce/">中国政府网&amp;政策</a>、<a href="mailto:jtj@suqian.gov.cn">邮箱</a>。</p>'
        '<embed embedtype="image" id="5" format="left" alt="路网图"/>'
    )
    assert links_in_html(html) == [
        {"linktype": "page", "id": "3", "href": None, "text": "关于印发通知"},
        {"linktype": "document", "id": "7", "href": None, "text": "附件 1"},
        {"linktype": None, "id": None, "href": "https://www.gov.cn/zhengce/", "text": "中国政府网&政策"},
        {"linktype": None, "id": None, "href": "mailto:jtj@suqian.gov.cn", "text": "邮箱"},
        {"linktype": "image", "id": "5", "href": None, "text": "路网图"},
    ]
    assert links_in_html("<p>无链接</p>") == []
    assert links_in_html('<a href="http://x.example">未闭合') == [
        {"linktype": None, "id": None, "href": "http://x.example", "text": "未闭合"}
    ]


def test_context_around_keeps_offsets():
    text = "第一行\n第二行含有烈土二字\t结束"
    start = text.index("烈土")
    ctx = context_around(text, start, start + 2, width=3)
    assert ctx == "行含有烈土二字 "  # 3 characters either side, the tab shown as a space
    assert len(ctx) == 3 + 2 + 3
    assert "\n" not in context_around(text, 0, len(text))


# --- PDF ----------------------------------------------------------------------------------------------------


def make_pdf(pages):
    """A PDF with one page per list of lines, set in the built-in CID font STSong-Light."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(50, 800 - 18 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_pdf_chinese_text_and_id_number_on_page_two(tmp_path):
    path = tmp_path / "公示.pdf"
    path.write_bytes(
        make_pdf(
            [
                ["宿迁市交通运输局行政许可公示", "一、许可事项：道路运输经营许可"],
                ["二、申请人信息", f"申请人：张某，身份证号码：{ID_NUMBER}", "三、许可决定：准予许可"],
            ]
        )
    )
    result = extract_text(path.name, path.read_bytes())
    assert isinstance(result, Extracted)
    assert len(result) >= 2 and not result.truncated
    assert result.labels[:2] == ["第1页", "第2页"]
    assert "宿迁市交通运输局行政许可公示" in result[0]
    assert ID_NUMBER not in result[0]
    assert ID_NUMBER in result[1]
    assert "申请人信息" in result[1]
    findings = find_personal_data(result[1])
    assert [f.rule for f in findings] == ["id_card"]
    assert findings[0].match == "321302********1233"
    assert result.has_text


def test_ten_page_pdf_extracts_quickly():
    lines = [
        f"宿迁市交通运输局政府信息公开目录第{n}条：关于道路运输行政许可事项的公示 联系电话0527-84368000"
        for n in range(30)
    ]
    data = make_pdf([lines] * 10)
    extract_text("ten.pdf", data)  # first call loads pypdf's CMaps
    start = time.perf_counter()
    result = extract_text("ten.pdf", data)
    elapsed = time.perf_counter() - start
    assert len(result) == 10
    assert all("道路运输行政许可" in page for page in result)
    assert elapsed < 0.2, f"{elapsed * 1000:.0f} ms"


def test_pdf_page_limit_sets_truncated():
    data = make_pdf([[f"第{n}页内容"] for n in range(1, 4)])
    result = extract_text("three.pdf", data, max_pages=2)
    assert result.truncated
    assert len(result) == 2
    assert "第2页内容" in result[1]


def encrypt(data, user_password):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_encrypted_pdf_is_unreadable():
    data = encrypt(make_pdf([["机密内容"]]), user_password="secret")
    with pytest.raises(UnreadableDocument, match="附件《机密.pdf》为加密PDF，无法自动检查"):
        extract_text("documents/机密.pdf", data)


def test_pdf_with_only_an_owner_password_is_read():
    # anyone can open it, so it must be checked like any other PDF
    data = encrypt(make_pdf([[f"电话{MOBILE}"]]), user_password="")
    result = extract_text("permissions.pdf", data)
    assert MOBILE in result[0]


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage",
        b"this is not a pdf at all",
        b"",
    ],
)
def test_corrupt_pdf_is_unreadable(data):
    with pytest.raises(UnreadableDocument, match="附件《坏.pdf》"):
        extract_text("坏.pdf", data)


def test_truncated_pdf_is_unreadable():
    data = make_pdf([["第一页"], ["第二页"]])
    with pytest.raises(UnreadableDocument):
        extract_text("cut.pdf", data[: len(data) // 2])


@pytest.mark.parametrize(
    "filename", ["通知.doc", "表格.xls", "文件.wps", "表.et", "扫描件.jpg", "归档.zip", "无扩展名"]
)
def test_unsupported_formats(filename):
    with pytest.raises(UnsupportedDocument, match=f"附件《{filename}》的格式") as exc:
        extract_text(filename, b"\xd0\xcf\x11\xe0 whatever")
    assert isinstance(exc.value, ValueError)


def test_extension_is_case_insensitive():
    assert extract_text("README.TXT", "正文".encode()).parts == ["正文"]


# --- DOCX ---------------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def relationships(rels):
    items = "".join(
        f'<Relationship Id="{rid}" Type="{R_NS}/{kind}" Target="{target}"/>' for rid, kind, target in rels
    )
    return f'{XML_DECL}<Relationships xmlns="{REL_NS}">{items}</Relationships>'


def w_paragraph(*runs, tab_stop=False):
    ppr = '<w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>' if tab_stop else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def w_run(text):
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def w_part(root, body):
    return f'{XML_DECL}<w:{root} xmlns:w="{W_NS}" xmlns:mc="{MC_NS}" xmlns:r="{R_NS}">{body}</w:{root}>'


def make_docx(body_xml, headers=(), footers=(), footnotes=None, extra=None):
    """A minimal WordprocessingML package; ``headers``/``footers`` are lists of body XML strings."""
    files = {}
    rels = []
    overrides = [
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    ]
    for kind, items in (("header", headers), ("footer", footers)):
        for i, xml in enumerate(items, 1):
            files[f"word/{kind}{i}.xml"] = w_part("hdr" if kind == "header" else "ftr", xml)
            rels.append((f"r{kind}{i}", kind, f"{kind}{i}.xml"))
    if footnotes is not None:
        files["word/footnotes.xml"] = w_part("footnotes", f'<w:footnote w:id="1">{footnotes}</w:footnote>')
        rels.append(("rfn", "footnotes", "footnotes.xml"))
    files["word/document.xml"] = w_part("document", f"<w:body>{body_xml}<w:sectPr/></w:body>")
    files["word/_rels/document.xml.rels"] = relationships(rels)
    files["_rels/.rels"] = relationships([("rId1", "officeDocument", "word/document.xml")])
    files["[Content_Types].xml"] = (
        f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{''.join(overrides)}</Types>"
    )
    files.update(extra or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content.encode() if isinstance(content, str) else content)
    return buf.getvalue()


TEXTBOX = (
    '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>'
    + w_paragraph(w_run("文本框内容"))
    + "</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
    + w_paragraph(w_run("文本框内容"))
    + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


def test_docx_body_headers_footers_and_footnotes():
    body = (
        w_paragraph(w_run("宿迁市交通运输局"), w_run("关于公开招聘的公告"), tab_stop=True)
        + w_paragraph(w_run("姓名"), "<w:r><w:tab/></w:r>", w_run(f"身份证号{ID_NUMBER}"))
        + "<w:tbl><w:tr><w:tc>"
        + w_paragraph(w_run("联系人"))
        + "</w:tc><w:tc>"
        + w_paragraph(w_run("王某&amp;李某"))
        + "</w:tc></w:tr></w:tbl>"
        + w_paragraph(w_run("第一行"), "<w:r><w:br/></w:r>", w_run("第二行"))
        + w_paragraph(TEXTBOX)
        + w_paragraph("<w:del><w:r><w:delText>已删除的文字</w:delText></w:r></w:del>")
    )
    data = make_docx(
        body,
        headers=[w_paragraph(w_run("宿迁市交通运输局文件"))],
        footers=[w_paragraph(w_run(f"联系电话：{MOBILE}"))],
        footnotes=w_paragraph(w_run("注：以上信息截至2024年底")),
    )
    result = extract_text("公告.docx", data)
    assert result.labels == ["正文", "页眉", "页脚", "脚注"]
    assert not result.truncated
    body_text = result[0]
    lines = body_text.split("\n")
    assert lines[0] == "宿迁市交通运输局关于公开招聘的公告"  # no tab from the tab-stop definition
    assert lines[1] == f"姓名\t身份证号{ID_NUMBER}"
    assert "联系人" in lines and "王某&李某" in lines
    assert "第一行\n第二行" in body_text
    assert body_text.count("文本框内容") == 1  # mc:Fallback copy skipped
    assert "已删除的文字" in body_text
    assert result[1] == "宿迁市交通运输局文件"
    assert result[2] == f"联系电话：{MOBILE}"
    assert result[3] == "注：以上信息截至2024年底"
    assert [f.rule for f in find_personal_data(body_text)] == ["id_card"]
    assert [f.rule for f in find_personal_data(result[2])] == ["mobile"]


def test_docx_with_several_headers_numbers_them():
    data = make_docx(
        w_paragraph(w_run("正文")),
        headers=[w_paragraph(w_run("首页页眉")), w_paragraph(w_run("偶数页页眉"))],
    )
    result = extract_text("a.docx", data)
    assert result.labels == ["正文", "页眉1", "页眉2"]
    assert result.parts == ["正文", "首页页眉", "偶数页页眉"]


def test_docx_xml_budget_truncates_instead_of_reading_a_bomb():
    # ~1 MB of paragraphs that compress to almost nothing; read at most 100 kB of XML
    body = (
        w_paragraph(w_run("开头")) + w_paragraph(w_run("重复的内容" * 20)) * 3000 + w_paragraph(w_run("结尾"))
    )
    data = make_docx(body)
    assert len(data) < 50_000
    result = extract_text("bomb.docx", data, max_bytes=100_000)
    assert result.truncated
    assert result[0].startswith("开头")
    assert "结尾" not in result[0]
    assert len(result[0].encode()) < 100_000
    assert not extract_text("bomb.docx", data).truncated  # within the default 50 MB


def test_docx_with_a_dtd_is_refused():
    evil = (
        '<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>'
    )
    data = make_docx("", extra={"word/document.xml": evil})
    with pytest.raises(UnreadableDocument, match="文档类型声明"):
        extract_text("evil.docx", data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip file", "已损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "加密文档或旧版Office格式"),
    ],
)
def test_corrupt_or_encrypted_docx_is_unreadable(data, message):
    with pytest.raises(UnreadableDocument, match=message):
        extract_text("坏.docx", data)


def test_docx_with_broken_xml_is_unreadable():
    data = make_docx("", extra={"word/document.xml": "<w:document><w:body><w:p>"})
    with pytest.raises(UnreadableDocument, match="已损坏"):
        extract_text("broken.docx", data)


def test_zip_without_a_document_part_is_unreadable():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableDocument):
        extract_text("empty.docx", buf.getvalue())


# --- XLSX ---------------------------------------------------------------------------------------------------

S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def make_xlsx(sheets, shared_strings):
    """``sheets``: list of (name, sheetData XML); ``shared_strings``: list of ``<si>`` inner XML."""
    files = {
        "[Content_Types].xml": f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": relationships([("rId1", "officeDocument", "xl/workbook.xml")]),
    }
    sheet_elems = []
    rels = [("rIdS", "sharedStrings", "sharedStrings.xml")]
    for i, (name, data) in enumerate(sheets, 1):
        sheet_elems.append(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>')
        rels.append((f"rId{i}", "worksheet", f"worksheets/sheet{i}.xml"))
        files[f"xl/worksheets/sheet{i}.xml"] = (
            f'{XML_DECL}<worksheet xmlns="{S_NS}" xmlns:r="{R_NS}"><sheetData>{data}</sheetData></worksheet>'
        )
    files["xl/workbook.xml"] = (
        f'{XML_DECL}<workbook xmlns="{S_NS}" xmlns:r="{R_NS}"><sheets>{"".join(sheet_elems)}</sheets></workbook>'
    )
    files["xl/_rels/workbook.xml.rels"] = relationships(rels)
    sis = "".join(f"<si>{s}</si>" for s in shared_strings)
    files["xl/sharedStrings.xml"] = f'{XML_DECL}<sst xmlns="{S_NS}" count="{len(shared_strings)}">{sis}</sst>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def test_xlsx_sheets_shared_and_inline_strings():
    shared = [
        "<t>姓名</t>",
        "<t>联系电话</t>",
        '<r><t>张</t></r><r><rPr><b/></rPr><t>某</t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh>',
        "<t>合计</t>",
    ]
    sheet1 = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        f'<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>{MOBILE}</v></c></row>'
        f'<row r="3"><c r="A3" t="inlineStr"><is><t>身份证</t></is></c><c r="B3" t="inlineStr"><is><t>{ID_NUMBER}</t></is></c></row>'
        '<row r="4"><c r="A4" t="s"><v>3</v></c><c r="B4" t="str"><f>CONCAT("共","2人")</f><v>共2人</v></c></row>'
    )
    sheet2 = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>附表说明</t></is></c><c r="B1" t="b"><v>1</v></c></row>'
    )
    data = make_xlsx([("人员名单", sheet1), ("附表", sheet2)], shared)
    result = extract_text("名单.xlsx", data)
    assert result.labels == ["工作表“人员名单”", "工作表“附表”"]
    assert result[0].split("\n") == [
        "姓名\t联系电话",
        f"张某\t{MOBILE}",  # phonetic guide left out
        f"身份证\t{ID_NUMBER}",
        "合计\t共2人",  # formula result, not the formula
    ]
    assert result[1] == "附表说明\tTRUE"
    assert sorted(f.rule for f in find_personal_data(result[0])) == ["id_card", "mobile"]


def test_corrupt_xlsx_is_unreadable():
    data = make_xlsx([("表1", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>')], ["<t>内容</t>"])
    with pytest.raises(UnreadableDocument):
        extract_text("坏.xlsx", data[: len(data) // 2])


# --- TXT / CSV ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "encoding"),
    [("a.txt", "utf-8"), ("b.txt", "utf-8-sig"), ("c.csv", "gb18030"), ("d.txt", "utf-16")],
)
def test_plain_text_encodings(filename, encoding):
    text = f"姓名,电话\n张某,{MOBILE}\n"
    result = extract_text(filename, text.encode(encoding))
    assert result.parts == [text]
    assert result.labels == ["全文"]
    assert [f.rule for f in find_personal_data(result[0])] == ["mobile"]


def test_plain_text_truncated_inside_a_character():
    data = ("宿迁" * 100).encode()  # 3 bytes per character
    result = extract_text("long.txt", data, max_bytes=100)  # 100 = 33 characters + 1 byte
    assert result.truncated
    assert result[0] == ("宿迁" * 100)[:33]
