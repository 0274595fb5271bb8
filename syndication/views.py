"""HTTP endpoints of the pipeline: WeChat's event push, Weibo's OAuth round trip, and the admin's actions."""

import hashlib
import hmac
import logging
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail.log_actions import log

from .clients.weibo import WeiboClient
from .errors import ApiError
from .models import Account, Channel, JobState, SyndicationJob, WeChatEvent

logger = logging.getLogger(__name__)
OAUTH_SALT = "syndication.weibo.oauth"


# WeChat's push (PUBLISHJOBFINISH), a hint only -------------------------------------------------------


def signature_ok(token, params):
    parts = sorted([token, params.get("timestamp", ""), params.get("nonce", "")])
    expected = hashlib.sha1("".join(parts).encode("utf-8")).hexdigest()
    return hmac.compare_digest(expected, params.get("signature", ""))


@csrf_exempt
def wechat_events(request, account_id):
    """The account's server URL. GET is WeChat's URL check (echostr); POST carries events. Pushes may be lost or
    repeated, so PUBLISHJOBFINISH only wakes the job, which asks freepublish/get for the truth."""
    account = Account.objects.filter(pk=account_id, channel=Channel.WECHAT).first()
    token = account.callback_token() if account else ""
    if not token or not signature_ok(token, request.GET):
        return HttpResponse("invalid signature", status=403, content_type="text/plain")
    if request.method == "GET":
        return HttpResponse(request.GET.get("echostr", ""), content_type="text/plain")
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        root = ElementTree.fromstring(request.body)
    except (ParseError, DefusedXmlException):
        return HttpResponseBadRequest("invalid xml", content_type="text/plain")
    if root.findtext("MsgType") != "event" or root.findtext("Event") != "PUBLISHJOBFINISH":
        return HttpResponse("success", content_type="text/plain")
    info = root.find("PublishEventInfo")
    publish_id = (info.findtext("publish_id") if info is not None else "") or ""
    status = info.findtext("publish_status") if info is not None else None
    try:
        create_time = int(root.findtext("CreateTime") or 0)
    except ValueError:
        return HttpResponseBadRequest("invalid CreateTime", content_type="text/plain")
    _event, created = WeChatEvent.objects.get_or_create(
        account=account,
        from_user=(root.findtext("FromUserName") or "")[:64],
        create_time=create_time,
        defaults={
            "event": "PUBLISHJOBFINISH",
            "publish_id": publish_id[:64],
            "publish_status": int(status) if status and status.lstrip("-").isdigit() else None,
        },
    )
    if created:
        wake_jobs_for_publish(account, publish_id)
    return HttpResponse("success", content_type="text/plain")


def wake_jobs_for_publish(account, publish_id):
    """The job that submitted ``publish_id`` polls now; if none is known (its submit answer was lost), the jobs
    reconciling a submit on this account look again."""
    from .tasks import enqueue_all

    jobs = SyndicationJob.objects.filter(account=account, publish_id=publish_id, state=JobState.SUBMITTED)
    if not jobs.exists():
        jobs = SyndicationJob.objects.filter(account=account, state=JobState.RECONCILING, in_flight="submit")
    ids = list(jobs.values_list("pk", flat=True))
    SyndicationJob.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now())
    transaction.on_commit(lambda: enqueue_all(ids))
    return ids


# Weibo OAuth -----------------------------------------------------------------------------------------


def can_manage(user, account):
    return user.is_superuser or (account.managers_id and user.groups.filter(pk=account.managers_id).exists())


def weibo_redirect_uri():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("syndication_weibo_callback")


def weibo_authorize(request, account_id):
    account = get_object_or_404(Account, pk=account_id, channel=Channel.WEIBO)
    if not can_manage(request.user, account):
        raise PermissionDenied
    state = signing.dumps({"account": account.pk, "user": request.user.pk}, salt=OAUTH_SALT)
    return redirect(WeiboClient().authorize_url(account.app_id, weibo_redirect_uri(), state))


def weibo_callback(request):
    try:
        state = signing.loads(request.GET.get("state", ""), salt=OAUTH_SALT, max_age=900)
    except signing.BadSignature:
        messages.error(request, "微博授权未完成：授权请求已失效，请重新点击“授权微博账号”。")
        return redirect("syndication_account:index")
    account = get_object_or_404(Account, pk=state["account"], channel=Channel.WEIBO)
    if state["user"] != request.user.pk or not can_manage(request.user, account):
        raise PermissionDenied
    edit_url = reverse("syndication_account:edit", args=[account.pk])
    code = request.GET.get("code")
    if not code:
        messages.error(
            request,
            f"微博授权未完成：{request.GET.get('error_description') or request.GET.get('error') or '未取得授权码'}。",
        )
        return redirect(edit_url)
    secret = account.secret()
    if not secret:
        messages.error(
            request, f"服务器未配置微博应用密钥（环境变量 SYNDICATION_SECRET_{account.secret_name}）。"
        )
        return redirect(edit_url)
    try:
        data = WeiboClient().exchange_code(account.app_id, secret, code, weibo_redirect_uri())
    except ApiError as exc:
        messages.error(request, f"微博授权失败：{exc.reason}")
        return redirect(edit_url)
    account.weibo_access_token = data["access_token"]
    account.weibo_uid = str(data.get("uid", ""))
    account.weibo_token_expires_at = timezone.now() + timezone.timedelta(
        seconds=int(data.get("expires_in", 0) or 0)
    )
    account.save(update_fields=["weibo_access_token", "weibo_uid", "weibo_token_expires_at"])
    from .notify import account_restored

    resumed = account_restored(account)
    log(instance=account, action="syndication.authorized", user=request.user, data={"uid": account.weibo_uid})
    expires = timezone.localtime(account.weibo_token_expires_at).strftime("%Y-%m-%d")
    messages.success(
        request,
        f"微博账号“{account.name}”已授权，有效期至 {expires}。"
        + (f"已恢复 {resumed} 条暂停的推送。" if resumed else ""),
    )
    return redirect(edit_url)


@require_POST
def account_restore(request, account_id):
    """An administrator fixed the account (secret, IP whitelist…): clear its status and resume its held jobs."""
    account = get_object_or_404(Account, pk=account_id)
    if not can_manage(request.user, account):
        raise PermissionDenied
    from .notify import account_restored

    resumed = account_restored(account)
    messages.success(request, f"账号“{account.name}”已恢复正常，{resumed} 条暂停的推送已继续。")
    return redirect("syndication_account:edit", account.pk)


# Jobs ------------------------------------------------------------------------------------------------


def user_can_act_on(user, job):
    if user.is_superuser:
        return True
    return job.page.permissions_for_user(user).can_edit()


def _back(request, job):
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("syndication_job:inspect", job.pk)


@require_POST
def job_retry(request, job_id):
    from .engine import retry

    job = get_object_or_404(SyndicationJob.objects.select_related("page", "account"), pk=job_id)
    if not user_can_act_on(request.user, job):
        raise PermissionDenied
    if retry(job, request.user):
        messages.success(request, f"已重新排队：{job.account}。系统会先核实平台上的结果，不会重复发布。")
    else:
        messages.warning(request, f"该任务当前状态为“{job.get_state_display()}”，无需重试。")
    return _back(request, job)


@require_POST
def job_manual_done(request, job_id):
    job = get_object_or_404(SyndicationJob.objects.select_related("page", "account"), pk=job_id)
    if not user_can_act_on(request.user, job):
        raise PermissionDenied
    if job.manual_action and not job.manual_done_at:
        job.manual_done_at = timezone.now()
        job.add_history("manual", "done", detail=f"{request.user.get_username()} 标记已手动处理")
        job.save(update_fields=["manual_done_at", "history", "updated_at"])
        log(
            instance=job.page.specific,
            action="syndication.manual_done",
            user=request.user,
            data={"account": str(job.account)},
        )
        messages.success(request, "已标记为手动处理完成。")
    return _back(request, job)


def job_status(request, page_id):
    """The page's jobs as JSON, for the editor's 新媒体 panel to refresh while jobs run."""
    from django.http import JsonResponse
    from wagtail.models import Page

    page = get_object_or_404(Page, pk=page_id)
    if not (request.user.is_superuser or page.permissions_for_user(request.user).can_edit()):
        raise PermissionDenied
    jobs = SyndicationJob.objects.filter(page_id=page.pk).latest_per_account()
    return JsonResponse(
        {
            "jobs": [
                {
                    "id": job.pk,
                    "account": str(job.account),
                    "action": job.action,
                    "state": job.state,
                    "state_label": job.get_state_display(),
                    "url": job.remote_url,
                    "error": job.last_error,
                    "final": job.is_final,
                }
                for job in jobs
            ]
        }
    )
