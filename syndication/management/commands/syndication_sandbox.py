import datetime
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from syndication.models import Account, Channel
from syndication.sandbox import Sandbox


def register_accounts(sandbox):
    """Make the sandbox know the portal's accounts: app ids, secrets (from the environment), callback URLs, and
    Weibo tokens already granted. Run again every few seconds, so accounts added in the admin work at once."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for account in Account.objects.all():
        secret = account.secret()
        if not secret:
            continue
        if account.channel == Channel.WECHAT:
            sandbox.wechat.register(
                account.app_id,
                secret,
                name=account.name,
                callback_url=base + reverse("syndication_wechat_events", args=[account.pk]),
                callback_token=account.callback_token(),
            )
        else:
            domain = account.safe_domain or ""
            sandbox.weibo.register_app(
                account.app_id, secret, safe_domains=[domain] if domain else [], name=account.name
            )
            if account.weibo_uid:
                sandbox.weibo.user(account.weibo_uid, account.name)
            if account.weibo_access_token and account.weibo_access_token not in sandbox.weibo.tokens:
                expires = account.weibo_token_expires_at or timezone.now() + datetime.timedelta(days=365)
                sandbox.weibo.grant_token(
                    account.app_id,
                    account.weibo_uid,
                    token=account.weibo_access_token,
                    expires_in=(expires - timezone.now()).total_seconds(),
                )


class Command(BaseCommand):
    help = "启动新媒体沙箱：模拟微信公众平台与微博开放平台接口（相同路径、JSON 与错误码），供演示和测试使用。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.SYNDICATION_SANDBOX_PORT)
        parser.add_argument(
            "--state",
            default=str(settings.VAR_DIR / "sandbox" / "state.pickle"),
            help="状态文件；空字符串表示不保存",
        )
        parser.add_argument("--chaos", type=float, default=0.0, help="随机故障比例，例如 0.2")
        parser.add_argument("--publish-seconds", type=float, default=2.0, help="微信发布从提交到完成的秒数")
        parser.add_argument("--posts-per-hour", type=int, default=30, help="微博每个用户每小时的发布上限")

    def handle(self, *args, host, port, state, chaos, publish_seconds, posts_per_hour, **options):
        sandbox = Sandbox(
            host=host,
            port=port,
            state_file=state or None,
            publish_seconds=publish_seconds,
            posts_per_hour=posts_per_hour,
        )
        sandbox.weibo.auto_approve = False
        if chaos:
            sandbox.faults.chaos(chaos)
        register_accounts(sandbox)
        stop = threading.Event()

        def keep_registering():
            while not stop.wait(5):
                try:
                    register_accounts(sandbox)
                except DatabaseError as exc:  # the database may be busy for a moment; try again next round
                    self.stderr.write(f"sandbox: could not read accounts: {exc}")

        threading.Thread(target=keep_registering, daemon=True).start()
        self.stdout.write(self.style.SUCCESS(f"新媒体沙箱：{sandbox.url}/ （Ctrl+C 停止）"))
        try:
            sandbox.serve_forever()
        finally:
            stop.set()
