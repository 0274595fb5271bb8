"""Attachment text extraction (pure; ``pypdf`` for PDF, ``zipfile`` + ``xml.etree`` for DOCX/XLSX).

:func:`extract_text` returns an :class:`Extracted`: ``parts`` (one string per PDF page, per DOCX part, per
XLSX sheet; a TXT/CSV file is one part), ``labels`` (a Chinese label per part for building a finding's
location: "第2页", "正文", "页眉1", "脚注", "工作表“Sheet1”"…) and ``truncated`` (True when a size limit
stopped the reading early: more than ``max_pages`` PDF pages, or more than ``max_bytes`` of uncompressed
XML/text read).  A truncated extraction has still been read correctly as far as it goes; the caller should
tell the editor that the rest was not checked.  ``Extracted`` also behaves as the list of parts
(``len``, iteration, indexing).

Errors (both subclasses of ``ValueError``, with a Chinese message naming the file):

* :class:`UnsupportedDocument`: a format that is not read (.doc, .xls, .wps, .et, .ppt, images, archives…).
* :class:`UnreadableDocument`: a corrupt file, an encrypted PDF that needs a password (or uses AES, which
  needs the ``cryptography`` package that is not installed), an encrypted Office file, a DOCX/XLSX with a
  DTD (never present in real OOXML; refused as an XML-entity attack), or a PDF with no pages.

PDF notes: a PDF encrypted with only an owner password (empty user password; "permissions" PDFs) opens for
anyone, so it is decrypted and read like any other.  Scanned PDFs give empty pages (no OCR); see
``Extracted.has_text``.

DOCX notes: parts are the main document, then headers, footers, footnotes, endnotes and comments.  Text
from tracked deletions (``w:delText``) is included, because it is still in the published file.
``mc:Fallback`` copies of text boxes are skipped so that their text is not read twice.  Paragraphs are
separated by newlines, tabs are read as tabs.

XLSX notes: one part per sheet (hidden sheets included), one line per row, cells separated by tabs; shared
strings, inline strings, formula string results and numbers (as written in the file) are read.
"""

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree

import pypdf
from pypdf import PasswordType

__all__ = ["DocumentError", "Extracted", "UnreadableDocument", "UnsupportedDocument", "extract_text"]

MAX_PAGES = 500
MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 64 * 1024

SUPPORTED = (".pdf", ".docx", ".xlsx", ".txt", ".csv")

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted OOXML and old .doc/.xls are OLE compound files


class DocumentError(ValueError):
    """Base of the extraction errors; ``str(e)`` is a Chinese message for the editor."""


class UnsupportedDocument(DocumentError):
    pass


class UnreadableDocument(DocumentError):
    pass


@dataclass
class Extracted:
    parts: list[str]
    truncated: bool = False
    labels: list[str] = field(default_factory=list)

    def __len__(self):
        return len(self.parts)

    def __iter__(self):
        return iter(self.parts)

    def __getitem__(self, index):
        return self.parts[index]

    @property
    def has_text(self):
        """False for a file without any text (e.g. a scanned PDF), which cannot be checked automatically."""
        return any(p.strip() for p in self.parts)


def _display_name(filename):
    return re.split(r"[\\/]", filename or "")[-1] or "未命名"


def extract_text(
    filename: str, data: bytes, *, max_pages: int = MAX_PAGES, max_bytes: int = MAX_BYTES
) -> Extracted:
    """Text of an attachment, by the extension of ``filename``; see the module docstring."""
    name = _display_name(filename)
    ext = posixpath.splitext(name.lower())[1]
    if ext not in SUPPORTED:
        shown = ext or "无扩展名"
        raise UnsupportedDocument(
            f"附件《{name}》的格式（{shown}）不支持自动检查，请转换为PDF、DOCX或XLSX后上传，或人工核对"
        )
    if ext == ".pdf":
        return _pdf(name, data, max_pages)
    if ext in (".docx", ".xlsx"):
        if data[:8] == _OLE_MAGIC:
            raise UnreadableDocument(f"附件《{name}》为加密文档或旧版Office格式，无法自动检查")
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise UnreadableDocument(f"附件《{name}》文件已损坏，无法读取") from e
        reader = _ZipReader(zf, name, max_bytes)
        try:
            parts, labels = _docx(reader) if ext == ".docx" else _xlsx(reader)
        except DocumentError:
            raise
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            ElementTree.ParseError,
            zlib.error,
            OSError,
            ValueError,
            EOFError,
            KeyError,
            RuntimeError,  # encrypted zip member
            NotImplementedError,  # unsupported compression method
        ) as e:
            raise UnreadableDocument(f"附件《{name}》文件已损坏，无法读取") from e
        return Extracted(parts, reader.truncated, labels)
    return _plain(data, max_bytes)


# --- PDF -------------------------------------------------------------------------------------------------


def _pdf(name, data, max_pages):
    if b"%PDF-" not in data[:1024]:
        raise UnreadableDocument(f"附件《{name}》不是有效的PDF文件，无法读取")
    encrypted = f"附件《{name}》为加密PDF，无法自动检查"
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as e:  # pypdf.errors.DependencyError for AES without ``cryptography``, …
                raise UnreadableDocument(encrypted) from e
            if opened == PasswordType.NOT_DECRYPTED:
                raise UnreadableDocument(encrypted)
        count = len(reader.pages)
    except DocumentError:
        raise
    except Exception as e:  # pypdf raises many kinds on broken files
        raise UnreadableDocument(f"附件《{name}》文件已损坏，无法读取") from e
    if count == 0:
        raise UnreadableDocument(f"附件《{name}》没有任何页面，无法读取")
    parts = []
    for i in range(min(count, max_pages)):
        try:
            parts.append(reader.pages[i].extract_text() or "")
        except Exception as e:
            raise UnreadableDocument(f"附件《{name}》第{i + 1}页无法读取") from e
    return Extracted(parts, count > max_pages, [f"第{i + 1}页" for i in range(len(parts))])


# --- OOXML ------------------------------------------------------------------------------------------------
# Elements are recognised by local name, so both Transitional and Strict OOXML namespaces are read.


def _local(tag):
    return tag.rpartition("}")[2]


class _ZipReader:
    """Streams XML parts of a zip through an ``xml.etree`` parser target, within a total byte budget."""

    def __init__(self, zf, name, max_bytes):
        self.zf = zf
        self.name = name
        self.left = max_bytes
        self.truncated = False
        self.names = set(zf.namelist())

    def parse(self, member, target):
        """Feed ``member`` to ``target``; False if the budget ran out (the target keeps the text read so far)."""
        if self.truncated:
            return False
        target.name = self.name
        parser = ElementTree.XMLParser(target=target)
        with self.zf.open(member) as f:
            while True:
                chunk = f.read(min(_CHUNK, self.left + 1))
                if not chunk:
                    break
                if len(chunk) > self.left:
                    self.truncated = True
                    parser.feed(chunk[: self.left])
                    self.left = 0
                    return False  # abandoned mid-document: no close()
                self.left -= len(chunk)
                parser.feed(chunk)
        parser.close()
        return True

    def relationships(self, part):
        """``{id: (type, target path)}`` from the ``_rels`` file of ``part`` ("" for the package)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.names:
            return {}
        target = _Collect("Relationship")
        self.parse(rels, target)
        out = {}
        for attrib in target.items:
            ref = attrib.get("Target", "")
            if attrib.get("TargetMode") == "External" or not ref:
                continue
            path = ref.lstrip("/") if ref.startswith("/") else posixpath.normpath(posixpath.join(folder, ref))
            out[attrib.get("Id")] = (attrib.get("Type", ""), path)
        return out

    def main_part(self, default):
        for type_, path in self.relationships("").values():
            if type_.endswith("/officeDocument") and path in self.names:
                return path
        if default in self.names:
            return default
        raise UnreadableDocument(f"附件《{self.name}》文件已损坏，无法读取")


class _Target:
    """Base ``xml.etree`` parser target; refuses DTDs (real OOXML has none; no entity expansion tricks)."""

    name = ""

    def doctype(self, name, pubid, system):
        raise UnreadableDocument(f"附件《{self.name}》含有不允许的XML文档类型声明，无法读取")

    def start(self, tag, attrib):
        pass

    def end(self, tag):
        pass

    def data(self, data):
        pass

    def close(self):
        return None


class _Collect(_Target):
    """The attributes of every element with the given local name."""

    def __init__(self, local_name):
        self.local_name = local_name
        self.items = []

    def start(self, tag, attrib):
        if _local(tag) == self.local_name:
            self.items.append(dict(attrib))


class _WordText(_Target):
    """Paragraph text of a WordprocessingML part (also DrawingML ``a:t`` and math ``m:t`` text in it)."""

    _BREAKS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n"}

    def __init__(self):
        self.lines = []
        self.line = []
        self.in_text = 0
        self.in_run = 0
        self.skip = 0

    def start(self, tag, attrib):
        name = _local(tag)
        if name == "Fallback":  # mc:Fallback repeats the mc:Choice content
            self.skip += 1
        elif self.skip:
            return
        elif name in ("t", "delText"):
            self.in_text += 1
        elif name == "r":
            self.in_run += 1
        elif name in self._BREAKS and self.in_run:  # w:tab also defines tab stops in w:pPr/w:tabs
            self.line.append(self._BREAKS[name])

    def end(self, tag):
        name = _local(tag)
        if name == "Fallback":
            self.skip -= 1
        elif self.skip:
            return
        elif name in ("t", "delText"):
            self.in_text -= 1
        elif name == "r":
            self.in_run -= 1
        elif name == "p":
            self.lines.append("".join(self.line))
            self.line = []

    def data(self, data):
        if self.in_text and not self.skip:
            self.line.append(data)

    def text(self):
        lines = self.lines + (["".join(self.line)] if self.line else [])
        return "\n".join(lines).strip("\n")


def _natural_key(path):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path)]


def _docx(reader):
    main = reader.main_part("word/document.xml")
    folder = posixpath.dirname(main)
    by_kind = {}
    for type_, path in reader.relationships(main).values():
        if path in reader.names:
            by_kind.setdefault(type_.rsplit("/", 1)[-1], set()).add(path)
    # Generators that leave out relationships still use the usual names.
    for path in reader.names:
        if posixpath.dirname(path) == folder:
            m = re.fullmatch(
                r"(header|footer)\d*\.xml|(footnotes|endnotes|comments)\.xml", posixpath.basename(path)
            )
            if m:
                by_kind.setdefault(m.group(1) or m.group(2), set()).add(path)
    plan = [("正文", main)]
    for kind, label in (("header", "页眉"), ("footer", "页脚")):
        paths = sorted(by_kind.get(kind, ()), key=_natural_key)
        plan += [(f"{label}{i}" if len(paths) > 1 else label, p) for i, p in enumerate(paths, 1)]
    for kind, label in (("footnotes", "脚注"), ("endnotes", "尾注"), ("comments", "批注")):
        plan += [(label, p) for p in sorted(by_kind.get(kind, ()), key=_natural_key)]
    parts, labels = [], []
    for label, path in plan:
        target = _WordText()
        done = reader.parse(path, target)
        text = target.text()
        if label == "正文" or text:
            parts.append(text)
            labels.append(label)
        if not done:
            break
    return parts, labels


class _SharedStrings(_Target):
    def __init__(self):
        self.strings = []
        self.current = []
        self.in_t = 0
        self.in_phonetic = 0

    def start(self, tag, attrib):
        name = _local(tag)
        if name == "si":
            self.current = []
        elif name == "rPh":  # phonetic guide, not cell text
            self.in_phonetic += 1
        elif name == "t":
            self.in_t += 1

    def end(self, tag):
        name = _local(tag)
        if name == "si":
            self.strings.append("".join(self.current))
        elif name == "rPh":
            self.in_phonetic -= 1
        elif name == "t":
            self.in_t -= 1

    def data(self, data):
        if self.in_t and not self.in_phonetic:
            self.current.append(data)


class _SheetText(_Target):
    def __init__(self, shared):
        self.shared = shared
        self.rows = []
        self.row = []
        self.cell_type = None
        self.value = []
        self.inline = []
        self.in_v = 0
        self.in_t = 0
        self.in_phonetic = 0

    def start(self, tag, attrib):
        name = _local(tag)
        if name == "c":
            self.cell_type = attrib.get("t", "n")
            self.value = []
            self.inline = []
        elif name == "v":
            self.in_v += 1
        elif name == "t":
            self.in_t += 1
        elif name == "rPh":
            self.in_phonetic += 1

    def end(self, tag):
        name = _local(tag)
        if name == "c":
            self.row.append(self._cell())
        elif name == "v":
            self.in_v -= 1
        elif name == "t":
            self.in_t -= 1
        elif name == "rPh":
            self.in_phonetic -= 1
        elif name == "row":
            self._end_row()

    def data(self, data):
        if self.in_v:
            self.value.append(data)
        elif self.in_t and not self.in_phonetic:
            self.inline.append(data)

    def _cell(self):
        value = "".join(self.value).strip()
        if self.cell_type == "inlineStr":
            return "".join(self.inline)
        if self.cell_type == "s":
            try:
                return self.shared[int(value)]
            except (ValueError, IndexError):
                return ""
        if self.cell_type == "b":
            return {"1": "TRUE", "0": "FALSE"}.get(value, value)
        return value  # "n" (as written), "str" (formula result), "e" (error), "d" (ISO date)

    def _end_row(self):
        while self.row and not self.row[-1]:
            self.row.pop()
        if self.row:
            self.rows.append("\t".join(self.row))
        self.row = []

    def text(self):
        if self.row:
            self._end_row()
        return "\n".join(self.rows)


def _xlsx(reader):
    main = reader.main_part("xl/workbook.xml")
    related = reader.relationships(main)
    sheets = _Collect("sheet")
    reader.parse(main, sheets)
    shared = _SharedStrings()
    for type_, path in related.values():
        if type_.endswith("/sharedStrings") and path in reader.names:
            reader.parse(path, shared)
            break
    plan = []
    for attrib in sheets.items:
        rid = next((v for k, v in attrib.items() if _local(k) == "id" and k.startswith("{")), None)
        rel = related.get(rid)
        if rel and rel[1] in reader.names and rel[0].endswith("/worksheet"):
            plan.append((f"工作表“{attrib.get('name', '')}”", rel[1]))
    if not plan:  # no usable workbook relationships: take the worksheets in name order
        paths = sorted(
            (n for n in reader.names if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)), key=_natural_key
        )
        plan = [(f"工作表{i}", p) for i, p in enumerate(paths, 1)]
    parts, labels = [], []
    for label, path in plan:
        target = _SheetText(shared.strings)
        done = reader.parse(path, target)
        parts.append(target.text())
        labels.append(label)
        if not done:
            break
    return parts, labels


# --- TXT / CSV --------------------------------------------------------------------------------------------


def _plain(data, max_bytes):
    truncated = len(data) > max_bytes
    if truncated:
        data = data[:max_bytes]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    text = None
    for encoding in encodings:
        # When truncated, the limit may have cut a multi-byte character: drop up to 3 trailing bytes.
        for cut in range(4 if truncated else 1):
            try:
                text = data[: len(data) - cut].decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        if text is not None:
            break
    if text is None:
        text = data.decode(encodings[-1], errors="replace")
    return Extracted([text], truncated, ["全文"])
