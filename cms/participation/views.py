"""The public side: comments on a consultation, the message board and form, interview questions and archive.

Each form: the per-IP rate limit (cms.core.ratelimit, Django's cache), the honeypot, the form's own field
errors; a refusal re-renders the page with everything typed kept and a 4xx status.
"""

import hashlib

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.core import ratelimit

from . import services
from .forms import CommentForm, MessageForm, QuestionForm
from .models import InterviewPage, Message
from .vocabularies import MessageCategory

LAST_MESSAGE = "participation_last_message"


def _client_key(request):
    return hashlib.sha256(ratelimit.client_ip(request).encode()).hexdigest()


def _submit(request, form, scope):
    """(status, error) for a POSTed public form; (201, "") when it may be saved."""
    ip = ratelimit.client_ip(request)
    limit = settings.PARTICIPATION_SUBMISSIONS_PER_IP_PER_HOUR
    if ratelimit.exceeded(f"participation-{scope}", ip, limit):
        return 429, _("提交过于频繁，请一小时后再试。您填写的内容已保留。")
    if form.is_valid():
        ratelimit.hit(f"participation-{scope}", ip, limit, 3600)
        return 201, ""
    if form.is_bot:
        return 400, _("提交未被接受。")
    return 400, _("有 %(n)d 处需要修改，请查看标红的项目。") % {"n": len(form.errors)}


def _respond(page, request, status, context, template=None):
    response = page.render(request, template=template, context_overrides=context)
    response.status_code = status
    response["Cache-Control"] = "private, no-store"
    return response


def comment(page, request):
    if request.method != "POST":
        return redirect(page.url)
    form = CommentForm(request.POST)
    if not page.is_accepting_comments:
        return _respond(
            page,
            request,
            409,
            {"comment_form": form, "comment_error": _("本次征求意见已截止或未开始，不再接受网上意见。")},
        )
    status, error = _submit(request, form, "comment")
    if status == 201:
        services.submit_comment(page, form.save(commit=False), _client_key(request))
        return redirect(page.url + "?submitted=1#comment-form")
    return _respond(page, request, status, {"comment_form": form, "comment_error": error})


def paginate(request, queryset, per_page=20):
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def _month_totals():
    """This month's figures, published with the messages (国办发〔2017〕47号 互动交流)."""
    from .admin_views import month_range, monthly_totals

    month = f"{timezone.localdate():%Y-%m}"
    return {"month": month, **monthly_totals(*month_range(month))}


def message_board(page, request):
    messages = Message.objects.public().select_related("department")
    category = request.GET.get("category", "")
    if category in MessageCategory.values:
        messages = messages.filter(category=category)
    else:
        category = ""
    return _respond(
        page,
        request,
        200,
        {
            "message_page": paginate(request, messages),
            "categories": MessageCategory.choices,
            "category": category,
            "month_totals": _month_totals(),
        },
        template="participation/message_board.html",
    )


def write_message(page, request):
    form = MessageForm(request.POST or None)
    status, error = 200, ""
    if request.method == "POST":
        status, error = _submit(request, form, "message")
        if status == 201:
            message = services.submit_message(form.save(commit=False), _client_key(request))
            request.session[LAST_MESSAGE] = message.pk
            return redirect(page.url + page.reverse_subpage("done"))
    return _respond(
        page, request, status, {"form": form, "form_error": error}, "participation/write_message.html"
    )


def message_done(page, request):
    pk = request.session.get(LAST_MESSAGE)
    message = Message.objects.filter(pk=pk).select_related("department").first() if pk else None
    if message is None:
        return redirect(page.url)
    return _respond(page, request, 200, {"message": message}, "participation/message_done.html")


def interview_archive(page, request):
    interviews = InterviewPage.objects.live().public().child_of(page).order_by("-starts_at")
    return _respond(
        page,
        request,
        200,
        {"interview_page": paginate(request, interviews, 10)},
        "participation/interview_archive.html",
    )


def ask_question(page, request):
    if request.method != "POST":
        return redirect(page.url)
    form = QuestionForm(request.POST)
    if not page.is_collecting_questions:
        return _respond(
            page, request, 409, {"question_form": form, "question_error": _("本期访谈已不再征集问题。")}
        )
    status, error = _submit(request, form, "question")
    if status == 201:
        services.submit_question(page, form.save(commit=False), _client_key(request))
        return redirect(page.url + "?asked=1#question-form")
    return _respond(page, request, status, {"question_form": form, "question_error": error})
