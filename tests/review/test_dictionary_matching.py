"""Term dictionary matching (严重表述错误、错别字、敏感词: 国办秘函〔2019〕19号) and the external-link allowlist."""

import random
import time

import pytest

from cms.review.checks.dictionary import Matcher, Rule, allowed_host, rule_error

POLITICAL = Rule("political", "党十九大", "党的十九大", "block")
TYPO = Rule("typo", "烈土", "烈士", "warn", exceptions=("热烈土",))
LEADER = Rule("leader", "习近平总书记同志", "习近平总书记", "block", note="职务后不加“同志”")
SENSITIVE = Rule("sensitive", "赌博", "", "block", note="违禁词")
PLAN = Rule("political", r"(十[一二三四五六七八九]五)规划", r"“\1”规划", "warn", is_regex=True)


def test_literal_term_is_found_with_suggestion_and_severity():
    text = "认真学习贯彻党十九大精神。"
    findings = Matcher([POLITICAL]).scan(text)
    assert len(findings) == 1
    f = findings[0]
    assert (f.rule, f.severity, f.message) == ("political", "block", "政治表述不规范")
    assert f.offset == text.index("党十九大")
    assert f.match == "党十九大"
    assert f.suggestion == "党的十九大"
    assert f.context == text  # the whole short text is within ±20 characters
    assert f.location == ""


def test_correct_form_is_not_flagged_by_the_wrong_form():
    assert Matcher([POLITICAL]).scan("认真学习贯彻党的十九大精神。") == []


def test_every_occurrence_is_reported_sorted_by_offset():
    text = "党十九大报告提出……烈土陵园……党十九大以来"
    findings = Matcher([TYPO, POLITICAL]).scan(text)
    assert [(f.rule, f.offset) for f in findings] == [
        ("political", 0),
        ("typo", text.index("烈土")),
        ("political", text.rindex("党十九大")),
    ]


def test_exception_context_suppresses_the_hit():
    matcher = Matcher([TYPO])
    assert matcher.scan("在这片热烈土地上") == []
    findings = matcher.scan("在这片热烈土地上祭扫烈土墓")
    assert [f.offset for f in findings] == ["在这片热烈土地上祭扫烈土墓".rindex("烈土")]
    assert findings[0].suggestion == "烈士"
    assert findings[0].message == "疑似错别字"


def test_exception_must_cover_the_hit_not_just_occur_somewhere():
    text = "热烈欢迎，烈土陵园"  # "热烈" occurs but does not cover the hit
    assert len(Matcher([Rule("typo", "烈土", "烈士", exceptions=("热烈",))]).scan(text)) == 1


def test_note_is_appended_to_the_message():
    findings = Matcher([LEADER, SENSITIVE]).scan("习近平总书记同志指出，严禁赌博。")
    assert [f.message for f in findings] == [
        "领导人姓名或职务有误：职务后不加“同志”",
        "含有敏感词或违禁词：违禁词",
    ]
    assert [f.severity for f in findings] == ["block", "block"]


def test_regex_rule_with_group_expansion_in_the_suggestion():
    text = "编制十四五规划，落实“十四五”规划。"
    findings = Matcher([PLAN]).scan(text)
    assert len(findings) == 1  # the quoted form does not match
    f = findings[0]
    assert f.match == "十四五规划"
    assert f.suggestion == "“十四五”规划"
    assert f.offset == 2
    assert f.severity == "warn"


def test_regex_suggestion_without_backslash_is_used_verbatim():
    rule = Rule("typo", r"[0-9]+个百份点", "百分点", is_regex=True)
    findings = Matcher([rule]).scan("增长3个百份点")
    assert [(f.match, f.suggestion) for f in findings] == [("3个百份点", "百分点")]


def test_duplicate_rules_report_a_hit_once():
    text = "党十九大"
    duplicate = Rule("political", "党十九大", "党的十九大（重复条目）", "warn")
    regex_same = Rule("political", "党十九大", "x", is_regex=True)
    findings = Matcher([POLITICAL, duplicate, regex_same]).scan(text)
    assert len(findings) == 1
    assert findings[0].suggestion == "党的十九大"  # the first rule in dictionary order wins
    # a different kind on the same text is a separate finding
    findings = Matcher([POLITICAL, Rule("sensitive", "党十九大", "", "warn")]).scan(text)
    assert sorted(f.rule for f in findings) == ["political", "sensitive"]


def test_context_is_about_twenty_characters_either_side():
    text = "甲" * 50 + "党十九大" + "乙" * 50
    f = Matcher([POLITICAL]).scan(text)[0]
    assert f.context == "甲" * 20 + "党十九大" + "乙" * 20


def test_link_allow_and_invalid_rules_are_not_terms():
    rules = [
        Rule("link_allow", "gov.cn"),
        Rule("typo", "", "空"),
        Rule("typo", "(未闭合", "x", is_regex=True),
        Rule("typo", "a*", "x", is_regex=True),  # matches the empty string
        Rule("typo", "错字", "正字", severity="fatal"),
        TYPO,
    ]
    matcher = Matcher(rules)
    assert len(matcher) == 1
    assert [r.term for r, _ in matcher.invalid] == ["", "(未闭合", "a*", "错字"]
    assert matcher.scan("gov.cn 烈土 错字 aaa") != []
    assert [f.rule for f in matcher.scan("gov.cn 烈土 错字 aaa")] == ["typo"]


def test_rule_error_messages():
    assert rule_error(TYPO) == ""
    assert rule_error(PLAN) == ""
    assert rule_error(Rule("typo", "", "x")) == "词条不能为空"
    assert rule_error(Rule("typo", "(", "x", is_regex=True)).startswith("正则表达式无效")
    assert rule_error(Rule("slogan", "x", "y")).startswith("未知的规则类型")
    assert rule_error(Rule("typo", "x", "y", severity="fatal")).startswith("未知的严重程度")


def test_exceptions_given_as_a_list_become_a_tuple():
    rule = Rule("typo", "烈土", "烈士", exceptions=["热烈土"])
    assert rule.exceptions == ("热烈土",)
    assert Matcher([rule]).scan("热烈土地") == []


def test_empty_text_and_no_rules():
    assert Matcher([TYPO]).scan("") == []
    assert Matcher([]).scan("烈土") == []


def test_two_thousand_rules_on_twenty_thousand_characters_is_fast():
    rng = random.Random(20240520)
    alphabet = "宿迁市交通运输局关于公开政府信息的通知道路水路港口航道工程建设管理安全生产执法监督检查行政许可处罚公路养护城乡客运"
    alphabet += "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    text = "".join(rng.choice(alphabet) for _ in range(20000))
    rules = [
        Rule(
            rng.choice(["political", "leader", "typo", "sensitive"]),
            "".join(rng.choices(alphabet, k=rng.randint(2, 5))),
            "改",
        )
        for _ in range(1990)
    ]
    rules += [Rule("typo", rf"(\d+)年度{i}", r"\1年", is_regex=True) for i in range(10)]
    planted = "党十九大"
    text = text[:10000] + planted + text[10000 + len(planted) :]
    matcher = Matcher([*rules, POLITICAL])
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        findings = matcher.scan(text)
        timings.append(time.perf_counter() - start)
    assert any(f.match == planted and f.offset == 10000 for f in findings)
    # every reported hit really is its rule's term at that offset
    terms = {r.term for r in rules} | {planted}
    assert all(text[f.offset : f.offset + len(f.match)] == f.match and f.match in terms for f in findings)
    assert min(timings) < 0.2, f"{min(timings) * 1000:.1f} ms"


def test_literal_matching_agrees_with_a_naive_search():
    rng = random.Random(7)
    alphabet = "甲乙丙丁"
    text = "".join(rng.choice(alphabet) for _ in range(500))
    terms = sorted({"".join(rng.choices(alphabet, k=rng.randint(2, 4))) for _ in range(40)})
    findings = Matcher([Rule("typo", t, "") for t in terms]).scan(text)
    expected = set()
    for t in terms:  # non-overlapping occurrences, left to right, like str.find
        i = text.find(t)
        while i != -1:
            expected.add((i, t))
            i = text.find(t, i + len(t))
    assert {(f.offset, f.match) for f in findings} == expected


# --- link allowlist -----------------------------------------------------------------------------------------

ALLOW = ["gov.cn", "suqian.gov.cn", "people.com.cn"]


@pytest.mark.parametrize(
    "host",
    [
        "gov.cn",
        "www.gov.cn",
        "jtj.suqian.gov.cn",
        "WWW.GOV.CN",
        "www.gov.cn:443",
        "www.gov.cn.",
        "www.people.com.cn",
    ],
)
def test_allowed_hosts(host):
    assert allowed_host(host, ALLOW)


@pytest.mark.parametrize(
    "host", ["evilgov.cn", "gov.cn.evil.com", "example.com", "", "people.com", "cn", "gov.cn@evil.com"]
)
def test_disallowed_hosts(host):
    assert not allowed_host(host, ALLOW)


def test_allow_entries_may_be_written_with_a_wildcard_or_leading_dot():
    assert allowed_host("a.b.example.org", ["*.example.org"])
    assert allowed_host("a.example.org", [".EXAMPLE.org."])
    assert not allowed_host("badexample.org", ["*.example.org"])
    assert not allowed_host("www.gov.cn", [])
