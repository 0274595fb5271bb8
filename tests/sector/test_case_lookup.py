"""执法进度查询: valid lookups show the stages with dates; a wrong number and a wrong code get the same answer;
guessing is stopped by the per-address and per-case limits."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from cms.sector.models import EnforcementCase, normalize_case_number
from cms.sector.views import NOT_FOUND, TOO_MANY

from .conftest import PERSON, make_case, make_decision

pytestmark = pytest.mark.django_db


def look_up(client, page, number, code, ip="10.0.0.1"):
    return client.post(page.url, {"case_number": number, "code": code}, REMOTE_ADDR=ip)


def test_form_is_shown(client, lookup_page):
    response = client.get(lookup_page.url)
    assert response.status_code == 200
    assert "data-case-lookup" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_valid_lookup_shows_the_stages_with_dates_and_the_party_masked(client, lookup_page, zfzd):
    decision = make_decision(zfzd, case_number="宿交执罚〔2019〕第0123号")
    make_case(zfzd, decided_on=datetime.date(2019, 9, 27), decision=decision)
    response = look_up(client, lookup_page, "宿交执罚〔2019〕第0123号", "k7m2p9qx")
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-case-result" in html
    assert "2019-09-12" in html and "2019-09-27" in html  # 受理 and 决定
    assert "data-current-stage>决定<" in html
    assert "张某某" in html and PERSON not in html
    assert decision.title in html  # the published decision is linked
    assert "K7M2P9QX" not in html  # the code is not echoed back
    for label in ("受理", "调查", "告知", "决定", "执行", "结案"):
        assert label in html


def test_case_number_as_citizens_type_it(client, lookup_page, zfzd):
    make_case(zfzd)
    for typed in ("宿交执罚[2019]第0123号", " 宿交执罚（2019）第0123号 ", "宿交执罚【2019】第0123号"):
        assert look_up(client, lookup_page, typed, "K7M2 P9QX").status_code == 200, typed
    assert normalize_case_number("ｓｊ〔2019〕1") == "SJ〔2019〕1"


def test_wrong_number_and_wrong_code_get_the_same_clear_answer(client, lookup_page, zfzd):
    make_case(zfzd, case_number="宿交执罚〔2019〕第0456号")
    wrong_code = look_up(client, lookup_page, "宿交执罚〔2019〕第0456号", "AAAAAAAA")
    wrong_number = look_up(client, lookup_page, "宿交执罚〔2019〕第9999号", "K7M2P9QX")
    assert wrong_code.status_code == wrong_number.status_code == 404
    for response in (wrong_code, wrong_number):
        html = response.content.decode()
        assert NOT_FOUND in html
        assert "data-case-result" not in html
        assert "未取得道路运输经营许可" not in html  # nothing about the case leaks

    # The two pages differ only in what was typed, kept in the form.
    def strip(response, *typed):
        html = response.content.decode()
        for value in typed:
            html = html.replace(value, "")
        html = re.sub(r'nonce="[^"]+"', "", html)  # a new script nonce per response
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert strip(wrong_code, "宿交执罚〔2019〕第0456号", "AAAAAAAA") == strip(
        wrong_number, "宿交执罚〔2019〕第9999号", "K7M2P9QX"
    )


def test_empty_form_is_a_400_with_field_errors(client, lookup_page):
    response = look_up(client, lookup_page, "", "")
    assert response.status_code == 400
    assert "请填写案件编号和查询码" in response.content.decode()


def test_guessing_a_code_slows_then_locks_that_address_for_that_case_only(
    settings, client, lookup_page, zfzd
):
    settings.SECTOR_CASE_LOOKUP_FAILURES_PER_CASE_PER_HOUR = 3
    settings.SECTOR_CASE_LOOKUP_DELAY_SECONDS = 0  # the doubling wait has its own test
    make_case(zfzd)
    number = "宿交执罚〔2019〕第0123号"
    for n in range(3):
        assert look_up(client, lookup_page, number, f"WRONG00{n}", ip="10.0.1.1").status_code == 404
    blocked = look_up(client, lookup_page, number, "K7M2P9QX", ip="10.0.1.1")
    assert blocked.status_code == 429 and TOO_MANY in blocked.content.decode()
    # A number that does not exist is limited the same way: the limit tells nothing about existence.
    for n in range(3):
        look_up(client, lookup_page, "宿交执罚〔2019〕第8888号", f"WRONG00{n}", ip="10.0.3.1")
    assert look_up(client, lookup_page, "宿交执罚〔2019〕第8888号", "X", ip="10.0.3.1").status_code == 429
    # Nobody can lock the case for everyone: many addresses failing leave the party's own lookup working.
    for n in range(10):
        look_up(client, lookup_page, number, "WRONG999", ip=f"10.0.4.{n}")
    assert look_up(client, lookup_page, number, "K7M2P9QX", ip="10.0.5.1").status_code == 200
    # The locked address may still look up its other cases.
    make_case(zfzd, case_number="宿交执罚〔2019〕第0124号", verification_code="ABCDEFGH")
    assert (
        look_up(client, lookup_page, "宿交执罚〔2019〕第0124号", "ABCDEFGH", ip="10.0.1.1").status_code == 200
    )


def test_each_wrong_code_doubles_the_wait_of_that_address_for_that_case(
    settings, client, lookup_page, zfzd, monkeypatch
):
    import django.core.cache.backends.locmem as locmem

    settings.SECTOR_CASE_LOOKUP_DELAY_SECONDS = 30
    make_case(zfzd)
    number, now = "宿交执罚〔2019〕第0123号", [locmem.time.time()]
    monkeypatch.setattr(locmem.time, "time", lambda: now[0])
    assert look_up(client, lookup_page, number, "WRONG000").status_code == 404  # one typo: no wait
    assert look_up(client, lookup_page, number, "WRONG001").status_code == 404
    waiting = look_up(client, lookup_page, number, "K7M2P9QX")
    assert waiting.status_code == 429 and "请30秒后再试" in waiting.content.decode()
    assert (
        look_up(client, lookup_page, number, "K7M2P9QX", ip="10.0.9.9").status_code == 200
    )  # others: no wait
    now[0] += 31
    assert look_up(client, lookup_page, number, "WRONG002").status_code == 404
    now[0] += 31
    assert "请60秒后再试" in look_up(client, lookup_page, number, "K7M2P9QX").content.decode()
    now[0] += 61
    assert look_up(client, lookup_page, number, "K7M2P9QX").status_code == 200


def test_enumerating_case_numbers_from_one_address_is_stopped(settings, client, lookup_page, zfzd):
    settings.SECTOR_CASE_LOOKUPS_PER_IP_PER_HOUR = 5
    make_case(zfzd)
    statuses = [
        look_up(client, lookup_page, f"宿交执罚〔2019〕第{n:04d}号", "K7M2P9QX").status_code
        for n in range(100, 106)
    ]
    assert statuses == [404] * 5 + [429]
    # Even the right number and code wait for the window now.
    assert look_up(client, lookup_page, "宿交执罚〔2019〕第0123号", "K7M2P9QX").status_code == 429
    assert (
        look_up(client, lookup_page, "宿交执罚〔2019〕第0123号", "K7M2P9QX", ip="10.9.9.9").status_code == 200
    )


def test_revoked_decision_is_not_linked_from_the_lookup(client, lookup_page, zfzd):
    from cms.sector.admin_views import withdraw_decision
    from tests import factories

    decision = make_decision(zfzd, case_number="宿交执罚〔2019〕第0123号")
    make_case(zfzd, decided_on=datetime.date(2019, 9, 27), decision=decision)
    withdraw_decision(
        decision, factories.make_user("admin", superuser=True), "revoked", datetime.date(2019, 12, 1), "撤销"
    )
    html = look_up(client, lookup_page, "宿交执罚〔2019〕第0123号", "K7M2P9QX").content.decode()
    assert "data-case-result" in html and decision.title not in html


def test_stages_must_be_recorded_in_order(zfzd):
    with pytest.raises(ValidationError) as raised:
        make_case(zfzd, notified_on=datetime.date(2019, 9, 10))
    assert "notified_on" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        make_case(zfzd, investigated_on=None, notified_on=datetime.date(2019, 9, 20))
    assert "investigated_on" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        make_case(zfzd, closed_on=datetime.date.today() + datetime.timedelta(days=3))
    assert "closed_on" in raised.value.message_dict


def test_each_case_gets_a_random_code_and_a_unique_number(zfzd):
    a = make_case(zfzd, verification_code="")
    b = make_case(zfzd, case_number="宿交执罚〔2019〕第0200号", verification_code="")
    assert len(a.verification_code) == 8 and a.verification_code != b.verification_code
    with pytest.raises(ValidationError):
        make_case(zfzd, case_number="宿交执罚[2019]第0200号")
    assert EnforcementCase.objects.count() == 2
