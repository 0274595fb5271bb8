"""Rich text to located plain text (pure; stdlib ``html.parser`` only).

Wagtail stores rich text in its "DB format": ordinary HTML plus ``<a linktype="page" id="3">`` /
``<a linktype="document" id="7">`` for internal links and ``<embed embedtype="image" id="5" …/>`` for images.

* :func:`html_to_paragraphs` gives the visible text as one string per block (``p``, ``h1``–``h6``, ``li``,
  ``blockquote``, ``td``/``th``, ``div``…; ``br`` also splits), entities unescaped, whitespace (including the
  ideographic space U+3000 and NBSP) collapsed to single spaces, empty paragraphs dropped.  The caller can
  then say "正文第3段" for ``paragraphs[2]``.
* :func:`links_in_html` lists every ``<a>`` and every ``<embed>``.
* :func:`context_around` cuts the "±20 characters" context shown with a finding (shared by the detectors).
"""

from html.parser import HTMLParser

__all__ = ["context_around", "html_to_paragraphs", "links_in_html"]

# Elements whose start or end starts a new paragraph.
_BLOCK_TAGS = frozenset(
    """p h1 h2 h3 h4 h5 h6 li blockquote td th div br hr tr table thead tbody tfoot caption ul ol dl dt dd
    pre section article header footer aside nav main figure figcaption address""".split()
)
# Elements whose content is never visible text.
_SKIP_TAGS = frozenset({"script", "style", "template"})

_CONTROL_TO_SPACE = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\f": " ", "\v": " "})


def _collapse(s):
    return " ".join(s.split())


def context_around(text, start, end, width=20):
    """``text[start - width : end + width]`` with line breaks and tabs shown as spaces.

    The replacement is one character for one character, so ``context.find(match)`` still locates the match.
    """
    return text[max(0, start - width) : end + width].translate(_CONTROL_TO_SPACE)


class _ParagraphParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self._buf = []
        self._skip = 0

    def _flush(self):
        if self._buf:
            s = _collapse("".join(self._buf))
            self._buf = []
            if s:
                self.paragraphs.append(s)

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._buf.append(data)

    def close(self):
        super().close()
        self._flush()


def html_to_paragraphs(html: str) -> list[str]:
    """Visible text of (Wagtail DB-format) rich text, one string per block element; see the module docstring."""
    if not html:
        return []
    parser = _ParagraphParser()
    parser.feed(html)
    parser.close()
    return parser.paragraphs


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []
        self._open = None  # the <a> being read
        self._text = []
        self._skip = 0

    def _close_link(self):
        if self._open is not None:
            self._open["text"] = _collapse("".join(self._text))
            self.links.append(self._open)
            self._open = None
            self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self._close_link()  # <a> cannot nest; an unclosed one ends here
            self._open = {
                "linktype": a.get("linktype") or None,
                "id": a.get("id") if a.get("linktype") else None,
                "href": a.get("href"),
                "text": "",
            }
        elif tag == "embed":
            embedtype = a.get("embedtype") or None
            self.links.append(
                {
                    "linktype": embedtype,
                    "id": a.get("id"),
                    # oEmbed media embeds carry their address in ``url``; images have none.
                    "href": a.get("url") or a.get("src") or a.get("href"),
                    "text": _collapse(a.get("alt") or ""),
                }
            )
        elif tag in _SKIP_TAGS:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "a":
            self._close_link()
        elif tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if self._open is not None and not self._skip:
            self._text.append(data)

    def close(self):
        super().close()
        self._close_link()


def links_in_html(html: str) -> list[dict]:
    """Every ``<a>`` and ``<embed>`` in document order.

    Each is ``{"linktype", "id", "href", "text"}``: ``linktype`` is the Wagtail link type ("page", "document",
    …) or ``None`` for a plain ``href`` link; ``id`` is set only for Wagtail links; ``text`` is the link text
    (whitespace collapsed).  ``<embed embedtype="image" id="5" alt="…">`` gives linktype "image" with the
    alt text as ``text``; ``<embed embedtype="media" url="…">`` gives linktype "media" with the URL as ``href``.
    """
    if not html:
        return []
    parser = _LinkParser()
    parser.feed(html)
    parser.close()
    return parser.links
