import secrets

from django.conf import settings
from django.core.management.base import BaseCommand

from cms.demo.loader import DemoLoader


def demo_password(explicit=None):
    """The demo accounts' password: given, or generated once and kept in var/ (never committed)."""
    if explicit:
        return explicit
    path = settings.VAR_DIR / "demo-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip()


class Command(BaseCommand):
    help = "创建宿迁市交通运输局演示站点：机构、栏目、账号和公开信息。可重复运行，已存在的内容不会改动。"

    def add_arguments(self, parser):
        parser.add_argument("--password", help="演示账号的密码（默认自动生成并保存在 var/demo-password）")
        parser.add_argument("--quiet-accounts", action="store_true", help="不打印账号列表")

    def handle(self, *args, password=None, quiet_accounts=False, **options):
        password = demo_password(password)
        report = DemoLoader(password).load()
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：本次新建 {len(report.created)} 个对象。"))
        if not quiet_accounts:
            self.stdout.write("")
            self.stdout.write("后台地址：http://127.0.0.1:8000/admin/")
            self.stdout.write(f"管理员账号：admin    密码：{password}")
            self.stdout.write("部门账号（密码同上）：")
            for username, label in report.accounts:
                if username != "admin":
                    self.stdout.write(f"  {username:<20} {label}")
