"""Chinese-aware text for the search index and its queries. Pure functions; no Django.

The index is built from *tokens*:

- Each run of CJK characters gives its overlapping bigrams plus its last character: 交通运输局 →
  交通 通运 运输 输局 局. A phrase of bigrams matches exactly the texts that contain the characters in
  that order, so any substring of two or more characters is found (a dictionary segmenter such as jieba
  misses substrings that straddle its word boundaries: 平安 in 和平安全, 通知 in 交通知识). The trailing
  character lets a one-character query (``c*``) and a phrase that continues with digits or Latin letters
  (12345热线, 第3条) match.
- Each run of other letters and digits is one lower-case word token (12345, g25, etc).
- Everything else (punctuation, symbols, emoji) separates tokens and is not indexed.

Text is NFKC-normalised first (full-width letters and digits become ASCII, compatibility ideographs become
the ordinary ones) and lower-cased, so ＡＢＣ１２３ and abc123 are the same.

Queries are turned into :class:`Phrase` objects with the same tokenisation, see :func:`phrase`.
"""

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

__all__ = [
    "Phrase",
    "has_cjk",
    "index_text",
    "index_tokens",
    "is_latin_letters",
    "normalize",
    "phrase",
    "segments",
    "search_words",
    "split_words",
]

# Han (with extensions and compatibility ideographs), kana and Hangul are written without spaces: bigrams.
CJK = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
    "\uf900-\ufaff\U00020000-\U0003134f"
)
MAX_WORD = 40
_SEGMENT = re.compile(rf"(?P<cjk>[{CJK}]+)|(?P<word>(?:(?![{CJK}])[^\W_])+)")
_CJK_CHAR = re.compile(f"[{CJK}]")
_LATIN_LETTERS = re.compile(r"^[a-z]+$")


def normalize(text):
    """NFKC, lower case, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def segments(text):
    """``(kind, run)`` pairs of an already normalised text: kind is "cjk" or "word"."""
    for match in _SEGMENT.finditer(text):
        yield match.lastgroup, match.group()


def _bigrams(run):
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(text):
    """The tokens a text is indexed under (see the module docstring)."""
    tokens = []
    for kind, run in segments(normalize(text)):
        if kind == "cjk":
            tokens.extend(_bigrams(run))
            tokens.append(run[-1])
        else:
            tokens.append(run[:MAX_WORD])
    return tokens


def index_text(text):
    return " ".join(index_tokens(text))


@dataclass(frozen=True)
class Phrase:
    """Tokens that must appear next to each other, in order. ``prefix``: the last one is a prefix."""

    tokens: tuple
    prefix: bool
    text: str  # the normalised source, for highlighting and messages

    def __str__(self):
        return self.text


def phrase(text, prefix_last_word=False):
    """The phrase that finds ``text`` as a substring of indexed text, or None if it has nothing indexable.

    A CJK run gives its bigrams. Its last character is added only when something follows it in the
    phrase: in an indexed text the run may go on (通运 is inside 交通运输), but if the phrase continues with
    digits the indexed run must end there too (热线12345 is indexed 热线 线 12345). A phrase that ends in a
    single CJK character ends in the prefix token ``c*``, which matches both a bigram starting with c and a
    trailing c. Word tokens must match whole, except the last one when ``prefix_last_word`` (typing ahead).
    """
    normalized = normalize(text)
    parts = list(segments(normalized))
    tokens, prefix = [], False
    for position, (kind, run) in enumerate(parts):
        last = position == len(parts) - 1
        if kind == "cjk":
            if len(run) == 1:
                tokens.append(run)
                prefix = last
            else:
                tokens.extend(_bigrams(run))
                if not last:
                    tokens.append(run[-1])
        else:
            tokens.append(run[:MAX_WORD])
            prefix = last and prefix_last_word
    if not tokens:
        return None
    return Phrase(tuple(tokens), prefix, normalized)


def has_cjk(text):
    return bool(_CJK_CHAR.search(text or ""))


def is_latin_letters(text):
    """True for a normalised string of ASCII letters only, such as pinyin typed without tones."""
    return bool(_LATIN_LETTERS.match(text or ""))


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def split_words(text):
    """Words of a Chinese term (jieba, precise mode): 出租车经营许可 → 出租车 经营 许可.

    Single characters are dropped when longer words remain (依申请公开 → 申请 公开), and punctuation is
    dropped. Used to relax a long query that has no exact match, and to build the suggestion vocabulary.
    """
    words = []
    for word in _jieba().lcut(normalize(text)):
        word = word.strip()
        if word and any(True for _ in segments(word)):
            words.append(word)
    longer = [w for w in words if len(w) > 1 or not has_cjk(w)]
    return longer or words


def search_words(text):
    """jieba's search mode: words and the dictionary words inside them (交通运输局 → 交通 运输 交通运输 …),
    for the suggestion vocabulary."""
    return [w for w in _jieba().lcut_for_search(normalize(text)) if w.strip()]
