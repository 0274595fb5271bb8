"""The 审核词库 admin: the seeded dictionary, the listing, CSV export and all-or-nothing CSV import."""

import codecs
import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.review.checks.dictionary import Matcher, Rule, rule_error
from cms.review.models import TermRule
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["类别", "词条", "正确写法", "正则", "例外语境", "处理方式", "说明", "启用"]


def url(name):
    return reverse(TermRule.snippet_viewset.get_url_name(name))


def csv_bytes(rows, encoding="utf-8-sig", header=HEADER):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def upload(client, data, name="terms.csv", overwrite=True):
    form = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if overwrite:
        form["overwrite"] = "on"
    return client.post(url("import"), form)


def export(client, query=""):
    response = client.get(url("list") + "?export=csv" + query)
    assert response.status_code == 200
    return b"".join(response.streaming_content), response


def snapshot():
    return {
        (r.kind, r.term): (r.suggestion, r.is_regex, r.exceptions, r.severity, r.note, r.active, r.updated_at)
        for r in TermRule.objects.all()
    }


@pytest.fixture
def superuser_client(client):
    client.force_login(factories.make_user("cidian_admin", superuser=True))
    return client


def admin_user_with(username, *codenames):
    group = Group.objects.create(name=f"词库测试组-{username}")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in codenames:
        group.permissions.add(Permission.objects.get(content_type__app_label="review", codename=codename))
    return factories.make_user(username, groups=[group])


# The seeded dictionary -------------------------------------------------------------------------------------


def test_seed_has_the_political_rule_and_its_siblings():
    rule = TermRule.objects.get(kind="political", term="党十九大")
    assert rule.suggestion == "党的十九大"
    assert rule.effective_severity == "block"
    assert TermRule.objects.get(kind="typo", term="烈土").exception_list == ["热烈土"]
    assert TermRule.objects.get(kind="sensitive", term="全网第一").effective_severity == "warn"
    assert TermRule.objects.filter(kind="link_allow", term="gov.cn", active=True).exists()
    assert set(TermRule.objects.values_list("kind", flat=True)) == {
        "political",
        "leader",
        "typo",
        "sensitive",
        "link_allow",
    }


def test_seeded_rules_are_valid_and_never_flag_their_own_correct_form():
    rules = [
        Rule(
            kind=r.kind,
            term=r.term,
            suggestion=r.suggestion,
            severity=r.effective_severity,
            is_regex=r.is_regex,
            exceptions=tuple(r.exception_list),
        )
        for r in TermRule.objects.exclude(kind="link_allow")
    ]
    assert len(rules) > 40
    matcher = Matcher(rules)
    assert matcher.invalid == []
    for rule in rules:
        assert rule_error(rule) == ""
        assert matcher.scan(rule.suggestion) == [], rule
        for exception in rule.exceptions:
            assert rule.term in exception, rule  # an exception is a longer context around the term
            assert Matcher([rule]).scan(f"文中有{exception}。") == [], rule
        if not rule.is_regex:
            assert [f.match for f in Matcher([rule]).scan(f"文中写成了{rule.term}。")] == [rule.term]


# Listing and export ----------------------------------------------------------------------------------------


def test_listing_shows_seeded_entries_with_export_and_import_buttons(superuser_client):
    response = superuser_client.get(url("list") + "?kind=political")
    assert response.status_code == 200
    html = response.content.decode()
    assert "党十九大" in html and "党的十九大" in html
    assert "阻止发布" in html
    assert "烈土" not in html  # a typo, filtered out
    assert url("import") in html and "导入CSV" in html
    assert "export=csv" in html and "导出CSV" in html
    assert "export=xlsx" not in html  # only the format the import accepts is offered

    response = superuser_client.get(url("list") + "?q=烈土")
    assert "烈士" in response.content.decode()


def test_effective_severity_filter_counts_kind_defaults():
    # Typos default to 提示; the sensitive 广告极限词 are set to 提示 explicitly.
    from cms.review.dictionary_admin import TermRuleFilterSet

    warn = TermRuleFilterSet({"severity": "warn"}, queryset=TermRule.objects.all()).qs
    kinds = set(warn.values_list("kind", flat=True))
    assert {"typo", "sensitive", "link_allow"} == kinds
    assert not warn.filter(term="代开发票").exists()
    assert warn.filter(term="全网第一").exists()


def test_export_is_utf8_bom_csv_with_chinese_headings_and_values(superuser_client):
    data, response = export(superuser_client)
    assert data.startswith(codecs.BOM_UTF8)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADER
    assert len(rows) - 1 == TermRule.objects.count()
    by_term = {row[1]: row for row in rows[1:]}
    assert by_term["党十九大"] == ["政治表述", "党十九大", "党的十九大", "否", "", "", "规范简称", "是"]
    assert by_term["烈土"] == ["常见错别字", "烈土", "烈士", "否", "热烈土", "", "", "是"]
    assert by_term["全网第一"][5] == "提示"
    assert by_term["习近乎"][4].split("|")[0] == "学习近乎" and by_term["习近乎"][4].count("|") == 5
    assert by_term[r"十[八九]届[0-9０-９]+中全会"][3] == "是"

    filtered, _ = export(superuser_client, "&kind=leader")
    assert (
        len(filtered.decode("utf-8-sig").strip().splitlines())
        == 1 + TermRule.objects.filter(kind="leader").count()
    )


# Import ----------------------------------------------------------------------------------------------------


def test_exported_file_imports_unchanged(superuser_client):
    before = snapshot()
    data, _ = export(superuser_client)
    response = upload(superuser_client, data)
    assert response.status_code == 302 and response.url == url("list")
    page = superuser_client.get(response.url).content.decode()
    assert f"导入完成：新增 0 条，更新 0 条，未变 {len(before)} 条" in page
    assert snapshot() == before  # not even updated_at moved


def test_import_creates_new_rows_and_updates_changed_ones(superuser_client):
    count = TermRule.objects.count()
    old = TermRule.objects.get(kind="typo", term="帐号")
    data = csv_bytes(
        [
            ["常见错别字", "帐号", "账号", "否", "", "阻止发布", "2001年起规范为“账”", "是"],
            ["typo", "拔打", "拨打", "否", "", "", "", "是"],
            ["敏感词违禁词", r"代办\S*驾驶证", "", "是", "代办驾驶证业务须知|代办驾驶证换证", "", "", "否"],
            ["", "", "", "", "", "", "", ""],  # blank lines are skipped
        ]
    )
    response = upload(superuser_client, data)
    assert response.status_code == 302
    assert "导入完成：新增 2 条，更新 1 条，未变 0 条" in superuser_client.get(response.url).content.decode()
    assert TermRule.objects.count() == count + 2
    updated = TermRule.objects.get(pk=old.pk)
    assert (updated.severity, updated.note) == ("block", "2001年起规范为“账”")
    assert updated.updated_at > old.updated_at
    assert TermRule.objects.get(kind="typo", term="拔打").suggestion == "拨打"
    regex = TermRule.objects.get(kind="sensitive", term=r"代办\S*驾驶证")
    assert regex.is_regex and not regex.active
    assert regex.exception_list == ["代办驾驶证业务须知", "代办驾驶证换证"]


def test_import_without_overwrite_only_adds(superuser_client):
    data = csv_bytes(
        [
            ["常见错别字", "烈土", "烈士（改）", "否", "", "", "", "是"],
            ["常见错别字", "一蹶不正", "一蹶不振", "否", "", "", "", "否"],
        ]
    )
    response = upload(superuser_client, data, overwrite=False)
    assert response.status_code == 302
    page = superuser_client.get(response.url).content.decode()
    assert "新增 1 条，更新 0 条，未变 1 条" in page
    assert TermRule.objects.get(kind="typo", term="烈土").suggestion == "烈士"
    assert TermRule.objects.filter(term="一蹶不正", active=False).exists()


def test_one_bad_row_imports_nothing_and_lists_errors_by_row(superuser_client):
    before = snapshot()
    data = csv_bytes(
        [
            ["常见错别字", "拔打", "拨打", "否", "", "", "", "是"],  # row 2: fine on its own
            ["政治", "党十七大", "党的十七大", "否", "", "", "", "是"],  # row 3: unknown kind
            ["常见错别字", "(未闭合", "", "是", "", "", "", "是"],  # row 4: invalid regex
            ["常见错别字", "a*", "", "是", "", "", "", "是"],  # row 5: regex matching nothing
            ["常见错别字", "", "空词条", "否", "", "", "", "是"],  # row 6: empty term
            ["常见错别字", "再接再励", "再接再厉", "对", "", "", "", "是"],  # row 7: bad 是/否
            ["常见错别字", "拔打", "拨打", "否", "", "", "", "是"],  # row 8: duplicate of row 2
        ]
    )
    response = upload(superuser_client, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "未导入任何内容" in html
    assert "第3行：类别“政治”无法识别" in html
    assert "第4行：词条：正则表达式无效" in html
    assert "第5行：正则表达式不能匹配空字符串" in html
    assert "第6行：词条不能为空" in html
    assert "第7行：正则“对”应填“是”或“否”" in html
    assert "第8行：与第2行重复" in html
    assert snapshot() == before
    assert not TermRule.objects.filter(term="拔打").exists()


def test_gb18030_file_from_excel_imports(superuser_client):
    data = csv_bytes(
        [
            ["常见错别字", "渡假", "度假", "否", "", "", "“度假”不写作“渡假”", "是"],
            ["领导人姓名职务", "李克墙", "李克强", "否", "", "", "姓名错误", "是"],
        ],
        encoding="gb18030",
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8
    response = upload(superuser_client, data)
    assert response.status_code == 302
    assert "新增 1 条，更新 0 条，未变 1 条" in superuser_client.get(response.url).content.decode()
    assert TermRule.objects.get(kind="typo", term="渡假").note == "“度假”不写作“渡假”"


def test_columns_in_any_order_and_kind_codes(superuser_client):
    data = csv_bytes([["拔打", "typo", "拨打"]], header=["词条", "类别", "正确写法"], encoding="utf-8")
    assert upload(superuser_client, data).status_code == 302
    rule = TermRule.objects.get(kind="typo", term="拔打")
    assert (rule.suggestion, rule.is_regex, rule.active, rule.severity) == ("拨打", False, True, "")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("terms.csv", b"", "文件是空的"),
        ("terms.csv", codecs.BOM_UTF8 + b"\r\n", "文件是空的"),
        ("terms.xlsx", b"PK\x03\x04\x14\x00\x06\x00rest-of-a-zip", "这不是CSV文件"),
        ("terms.csv", b"PK\x03\x04\x14\x00\x06\x00rest-of-a-zip", "这不是CSV文件"),
        ("terms.csv", "类别,词条\n".encode("utf-16"), "这不是CSV文本文件"),
        ("terms.csv", b"\xe7\xb1\xbb\xff\xff\xff,\x81\n", "无法识别文件的文字编码"),
        ("terms.csv", "名称,内容\n党十九大,x\n".encode(), "第1行应为表头"),
        ("terms.csv", csv_bytes([]), "文件中没有词条"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(superuser_client, name, data, message):
    before = TermRule.objects.count()
    response = upload(superuser_client, data, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert TermRule.objects.count() == before


def test_missing_file_is_a_form_error(superuser_client):
    response = superuser_client.post(url("import"), {"overwrite": "on"})
    assert response.status_code == 400
    assert "请选择要导入的CSV文件" in response.content.decode()


def test_import_form_renders_with_overwrite_checked(superuser_client):
    response = superuser_client.get(url("import"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "覆盖已有词条的设置" in html
    assert 'name="overwrite"' in html and "checked" in html.split('name="overwrite"')[1].split(">")[0]
    assert "类别,词条,正确写法,正则,例外语境,处理方式,说明,启用" in html


# Permissions -----------------------------------------------------------------------------------------------


def refused(response):
    """Wagtail turns PermissionDenied in the admin into a redirect to the dashboard; a plain 403 is fine too."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


@pytest.mark.parametrize("codenames", [(), ("view_termrule",), ("change_termrule",), ("add_termrule",)])
def test_import_needs_add_and_change_permissions(client, codenames):
    client.force_login(admin_user_with("bgs_bianji", *codenames))
    assert refused(client.get(url("import")))
    before = TermRule.objects.count()
    assert refused(upload(client, csv_bytes([["常见错别字", "拔打", "拨打", "否", "", "", "", "是"]])))
    assert TermRule.objects.count() == before
    if codenames:  # may see the listing, but is not offered the import
        listing = client.get(url("list"))
        assert listing.status_code == 200
        assert url("import") not in listing.content.decode()


def test_dictionary_maintainer_without_superuser_can_import(client):
    client.force_login(admin_user_with("cidian_weihu", "add_termrule", "change_termrule"))
    response = upload(client, csv_bytes([["常见错别字", "拔打", "拨打", "否", "", "", "", "是"]]))
    assert response.status_code == 302 and response.url == url("list")
    assert TermRule.objects.filter(kind="typo", term="拔打").exists()
