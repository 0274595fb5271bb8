"""Term dictionary matching (严重表述错误、错别字、敏感词: 国办秘函〔2019〕19号) and the external-link host allowlist.

The dictionary is maintained by editors (stored elsewhere; this module only gets plain :class:`Rule` values).

**A rule's ``term`` is always the WRONG form**, the text that must not appear; ``suggestion`` is the correct
form shown to the editor.  The correct form must never be entered as a term: a rule "十九大" → "党的十九大"
would flag every correct "党的十九大", because the correct text contains the term.  Write the wrong form
itself: "党十九大" → "党的十九大" (the correct "党的十九大" does not contain "党十九大", so it is not
flagged).  Where the wrong form is a substring of a legitimate phrase, list that phrase in ``exceptions``:
term "烈土" (typo for 烈士) with exception "热烈土" leaves "热烈土地" alone.

Matching:

* Literal terms: every non-overlapping occurrence (``str.find`` loop, case-sensitive; literal terms are
  indexed by their first two characters so a text is only searched for terms that can occur in it).  Regex terms (``is_regex=True``):
  compiled once, ``finditer``; zero-length matches are ignored.  A suggestion containing a backslash is
  expanded with ``match.expand`` (``\\1``, ``\\g<name>``) for regex rules.
* A hit is suppressed if it lies inside an occurrence of one of the rule's ``exceptions`` (literal strings)
  in the text.
* The same kind hitting the same span twice (duplicate dictionary entries, or a literal and a regex rule
  catching the same text) is reported once, by the first rule in dictionary order.
* Rules of kind ``link_allow`` are host allowlist entries for :func:`allowed_host`, not terms; the matcher
  ignores them.  Empty terms and invalid regexes are skipped and listed in ``Matcher.invalid`` (use
  :func:`rule_error` to validate a rule when it is saved).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import Finding
from .text import context_around

__all__ = ["KINDS", "Matcher", "Rule", "allowed_host", "rule_error"]

MESSAGES = {
    "political": "政治表述不规范",
    "leader": "领导人姓名或职务有误",
    "typo": "疑似错别字",
    "sensitive": "含有敏感词或违禁词",
}
KINDS = ("political", "leader", "typo", "sensitive", "link_allow")
SEVERITIES = ("block", "warn")


@dataclass(frozen=True)
class Rule:
    kind: str  # "political" | "leader" | "typo" | "sensitive" | "link_allow"
    term: str  # the WRONG form (or a regex of it); for link_allow: a host suffix such as "gov.cn"
    suggestion: str = ""  # the correct form
    severity: str = "warn"  # "block" | "warn"
    is_regex: bool = False
    exceptions: tuple[str, ...] = ()  # contexts in which a hit is fine, e.g. "热烈土" for "烈土"
    note: str = ""

    def __post_init__(self):
        if not isinstance(self.exceptions, tuple):
            object.__setattr__(self, "exceptions", tuple(self.exceptions or ()))


def rule_error(rule: Rule) -> str:
    """Why ``rule`` cannot be used, in Chinese; "" if it is fine.  For validating dictionary entries on save."""
    if rule.kind not in KINDS:
        return f"未知的规则类型：{rule.kind}"
    if rule.severity not in SEVERITIES:
        return f"未知的严重程度：{rule.severity}"
    if not rule.term:
        return "词条不能为空"
    if rule.kind == "link_allow":
        return ""
    if rule.is_regex:
        try:
            pattern = re.compile(rule.term)
        except re.error as e:
            return f"正则表达式无效：{e}"
        if pattern.fullmatch(""):
            return "正则表达式不能匹配空字符串"
    return ""


class _Compiled:
    __slots__ = ("rule", "pattern", "message", "expand")

    def __init__(self, rule, pattern):
        self.rule = rule
        self.pattern = pattern
        message = MESSAGES.get(rule.kind, "命中词库规则")
        self.message = f"{message}：{rule.note}" if rule.note else message
        self.expand = pattern is not None and "\\" in rule.suggestion


class Matcher:
    """Scans texts against a fixed set of dictionary rules; build once, call :meth:`scan` per text."""

    def __init__(self, rules: Iterable[Rule]):
        self.invalid = []  # (rule, reason) for the rules that were skipped
        self._rules = []
        # Literal terms indexed by their first two characters: a text is only searched for the terms whose
        # first bigram occurs in it, so scanning costs about the text's length, not rules x text length.
        self._by_bigram = {}
        self._always = []  # indexes of one-character literal terms and of regex rules
        for rule in rules:
            if rule.kind == "link_allow":
                continue
            error = rule_error(rule)
            if error:
                self.invalid.append((rule, error))
                continue
            index = len(self._rules)
            self._rules.append(_Compiled(rule, re.compile(rule.term) if rule.is_regex else None))
            if rule.is_regex or len(rule.term) < 2:
                self._always.append(index)
            else:
                self._by_bigram.setdefault(rule.term[:2], []).append(index)

    def __len__(self):
        return len(self._rules)

    def _candidates(self, text):
        found = list(self._always)
        by_bigram = self._by_bigram
        if by_bigram:
            bigrams = {text[i : i + 2] for i in range(len(text) - 1)}
            if len(bigrams) > len(by_bigram):
                found.extend(i for bigram, indexes in by_bigram.items() if bigram in bigrams for i in indexes)
            else:
                found.extend(i for bigram in bigrams for i in by_bigram.get(bigram, ()))
        found.sort()  # dictionary order, so the first of duplicate rules is the one reported
        return found

    def scan(self, text: str) -> list[Finding]:
        """Findings for every rule hit in ``text`` (``location`` left empty), sorted by offset."""
        if not text:
            return []
        hits = []  # (start, end, order, compiled, match object or None)
        seen = set()
        for order in self._candidates(text):
            c = self._rules[order]
            rule = c.rule
            if c.pattern is None:
                term = rule.term
                n = len(term)
                start = text.find(term)
                while start != -1:
                    end = start + n
                    if _excepted(text, start, end, rule.exceptions):
                        start = text.find(term, start + 1)  # an overlapping later occurrence may still count
                        continue
                    key = (rule.kind, start, end)
                    if key not in seen:
                        seen.add(key)
                        hits.append((start, end, order, c, None))
                    start = text.find(term, end)
            else:
                for m in c.pattern.finditer(text):
                    start, end = m.span()
                    if start == end:
                        continue
                    key = (rule.kind, start, end)
                    if key not in seen and not _excepted(text, start, end, rule.exceptions):
                        seen.add(key)
                        hits.append((start, end, order, c, m))
        hits.sort(key=lambda h: (h[0], h[1], h[2]))
        return [_finding(text, *h) for h in hits]


def _excepted(text, start, end, exceptions):
    """True if ``text[start:end]`` lies inside an occurrence of one of ``exceptions``."""
    for exc in exceptions:
        n = len(exc)
        if n < end - start:
            continue
        # An occurrence at p covers the hit iff end - n <= p <= start, i.e. iff it lies within
        # text[end - n : start + n].
        if text.find(exc, max(0, end - n), start + n) != -1:
            return True
    return False


def _finding(text, start, end, _order, c, m):
    rule = c.rule
    suggestion = rule.suggestion
    if c.expand and m is not None:
        try:
            suggestion = m.expand(rule.suggestion)
        except (re.error, IndexError):
            suggestion = rule.suggestion
    return Finding(
        rule=rule.kind,
        severity=rule.severity,
        message=c.message,
        offset=start,
        match=text[start:end],
        context=context_around(text, start, end),
        suggestion=suggestion,
    )


def _normalise_host(host):
    host = (host or "").strip().lower()
    if host.startswith("["):  # IPv6 literal, maybe with a port
        host = host[1 : host.find("]")] if "]" in host else host[1:]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    host = host.rstrip(".")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return host


def allowed_host(host: str, allow: Iterable[str]) -> bool:
    """True if ``host`` is one of the ``allow`` entries or a subdomain of one (suffix match on dot boundaries).

    Case-insensitive; a port and a trailing dot are ignored on both sides; an entry may be written as
    "gov.cn", ".gov.cn" or "*.gov.cn".  "gov.cn" allows "www.gov.cn" and "jtj.suqian.gov.cn", not "evilgov.cn".
    """
    host = _normalise_host(host)
    if not host:
        return False
    for entry in allow:
        entry = (entry or "").strip()
        if entry.startswith("*."):
            entry = entry[2:]
        entry = _normalise_host(entry.lstrip("."))
        if entry and (host == entry or host.endswith("." + entry)):
            return True
    return False
