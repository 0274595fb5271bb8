"""The public forms: comments on a consultation, messages, interview questions — success, bad input and abuse."""

import datetime

import pytest
from django.utils import timezone

from cms.participation.models import ConsultationComment, InterviewQuestion, Message
from cms.participation.vocabularies import MessageStatus, Moderation

from .conftest import make_consultation, make_interview

pytestmark = pytest.mark.django_db

COMMENT = {
    "name": "陈立新",
    "contact": "13805271111",
    "body": "建议明确村道养护资金的县乡分担比例。",
    "website": "",
}
MESSAGE = {
    "category": "consult",
    "department": "",
    "subject": "市区公交10路末班车时间咨询",
    "body": "请问市区公交10路冬季末班车几点从汽车站发车？",
    "name": "王建国",
    "phone": "13905271234",
    "email": "",
    "website": "",
}


def comment_url(page):
    return page.url + page.reverse_subpage("comment")


def write_url(board):
    return board.url + board.reverse_subpage("write")


def test_comment_is_held_until_approved(client, consultation):
    response = client.post(comment_url(consultation), COMMENT)
    assert response.status_code == 302 and "submitted=1" in response["Location"]
    comment = ConsultationComment.objects.get()
    assert comment.status == Moderation.HELD and comment.consultation_id == consultation.pk
    assert "data-comment-submitted" in client.get(response["Location"]).content.decode()
    html = client.get(consultation.url).content.decode()
    assert "建议明确村道养护资金" not in html  # held: not public
    comment.status = Moderation.APPROVED
    comment.save()
    html = client.get(consultation.url).content.decode()
    assert "建议明确村道养护资金" in html and "陈**" in html
    assert "13805271111" not in html  # contact never shown


def test_comment_errors_keep_what_was_typed(client, consultation):
    response = client.post(comment_url(consultation), {**COMMENT, "body": "好"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "意见内容过短" in html and 'value="陈立新"' in html and 'value="13805271111"' in html
    assert not ConsultationComment.objects.exists()


def test_comment_too_long_is_refused_with_the_count(client, consultation, settings):
    settings.PARTICIPATION_COMMENT_MAX_LENGTH = 50
    response = client.post(comment_url(consultation), {**COMMENT, "body": "建" * 60})
    assert response.status_code == 400
    assert "不得超过50字（当前60字）" in response.content.decode()


def test_comment_markup_is_stripped_and_shown_back(client, consultation):
    response = client.post(
        comment_url(consultation), {**COMMENT, "body": "<script>alert(1)</script><b>建议增加养护资金投入</b>"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "不能包含HTML代码" in html and "建议增加养护资金投入" in html and "<script>alert" not in html


def test_comment_honeypot(client, consultation):
    response = client.post(comment_url(consultation), {**COMMENT, "website": "http://spam.example"})
    assert response.status_code == 400 and "提交未被接受" in response.content.decode()
    assert not ConsultationComment.objects.exists()


def test_comment_rate_limit_keeps_input(client, consultation, settings):
    settings.PARTICIPATION_SUBMISSIONS_PER_IP_PER_HOUR = 2
    for _ in range(2):
        assert client.post(comment_url(consultation), COMMENT).status_code == 302
    response = client.post(comment_url(consultation), COMMENT)
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode() and "建议明确村道养护资金" in response.content.decode()
    assert ConsultationComment.objects.count() == 2


def test_closed_consultation_takes_no_comments(client, department):
    today = timezone.localdate()
    page = make_consultation(
        department, opens_on=today - datetime.timedelta(days=40), closes_on=today - datetime.timedelta(days=1)
    )
    assert "data-comment-form" not in client.get(page.url).content.decode()
    response = client.post(comment_url(page), COMMENT)
    assert response.status_code == 409 and "已截止" in response.content.decode()
    assert not ConsultationComment.objects.exists()
    assert client.get(comment_url(page)).status_code == 302  # GET on the form URL goes back to the page


def test_message_to_a_department_then_reply_appears_on_the_board(client, board, department):
    response = client.post(write_url(board), {**MESSAGE, "department": department.pk})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    message = Message.objects.get()
    assert message.code in done and message.status == MessageStatus.PENDING
    assert message.department == department and message.received_on == timezone.localdate()
    assert message.due_on is not None and message.due_on > message.received_on
    board_url = board.url + board.reverse_subpage("messages")
    assert "市区公交10路" not in client.get(board_url).content.decode()  # not replied yet
    message.status, message.reply, message.replied_on = (
        MessageStatus.REPLIED,
        "冬季末班车为20:30。",
        timezone.localdate(),
    )
    message.save()
    html = client.get(board_url).content.decode()
    for text in (
        "市区公交10路",
        "王**",
        "冬季末班车为20:30",
        department.title,
        "受理日期",
        "答复日期",
        "答复部门",
        "答复内容",
    ):
        assert text in html
    assert "13905271234" not in html
    assert "受理留言 1 件，已答复 1 件" in html  # this month's figures, published with the messages


def test_message_without_a_department_goes_to_the_default_unit(client, board, department, settings):
    settings.PARTICIPATION_DEFAULT_DEPARTMENT = department.slug
    assert client.post(write_url(board), MESSAGE).status_code == 302
    assert Message.objects.get().department == department


def test_private_message_never_listed_and_personal_data_masked(client, board, department):
    from .conftest import make_message

    today = timezone.localdate()
    fields = {"status": MessageStatus.REPLIED, "reply": "已转交处理。", "replied_on": today}
    make_message(department, subject="私密留言关于家庭住址", is_private=True, **fields)
    make_message(
        department,
        subject="公开的留言",
        body="我的电话13905279876，身份证321302198503171234请回电。",
        **fields,
    )
    html = client.get(board.url + board.reverse_subpage("messages")).content.decode()
    assert "公开的留言" in html and "私密留言关于家庭住址" not in html
    assert "13905279876" not in html and "139****9876" in html


def test_message_form_field_errors(client, board):
    response = client.post(write_url(board), {**MESSAGE, "phone": "12345", "subject": "", "body": "太短"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "联系电话应为11位手机号码" in html and "请填写留言标题" in html and "留言内容过短" in html
    assert 'value="王建国"' in html  # kept
    assert not Message.objects.exists()


def test_message_board_bad_input(client, board):
    url = board.url + board.reverse_subpage("messages")
    assert client.get(url + "?page=abc").status_code == 200
    assert client.get(url + "?page=99999&category=<script>").status_code == 200
    assert client.get(board.url + board.reverse_subpage("done")).status_code == 302


def test_interview_questions_before_the_interview(client, board):
    interview = make_interview(board)
    url = interview.url + interview.reverse_subpage("ask")
    html = client.get(interview.url).content.decode()
    assert "访谈预告" in html and "张志远" in html and "访谈前提问" in html
    assert (
        client.post(url, {"name": "李四", "body": "农村公路什么时候通到我们村？", "website": ""}).status_code
        == 302
    )
    question = InterviewQuestion.objects.get()
    assert question.status == Moderation.HELD
    assert client.post(url, {"name": "李四", "body": "", "website": ""}).status_code == 400
