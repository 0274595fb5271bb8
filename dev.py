#!/usr/bin/env python3
"""The project's two commands. Needs only Python ≥ 3.11; everything else it installs itself.

    python3 dev.py run    # the site at http://127.0.0.1:8000/ with demo content, a Celery worker and beat,
                          # and the new-media sandbox (WeChat and Weibo) at http://127.0.0.1:8001/
    python3 dev.py test   # lint, Django checks, the whole test suite on SQLite, then on PostgreSQL + Redis
                          # when they answer on 127.0.0.1 (or DATABASE_URL / CELERY_BROKER_URL are set)

Extra arguments after ``test`` go to pytest (``python3 dev.py test -k index_number``).
"""

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
VAR = ROOT / "var"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
APT_PACKAGES = ["chromium", "chromium-driver", "fonts-noto-cjk"]
DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal"
DEFAULT_TEST_BROKER_URL = "redis://127.0.0.1:6379/15"


def say(message):
    print(f"\033[1;34m==>\033[0m {message}", flush=True)


def run(cmd, env=None, check=True):
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def ensure_venv():
    """Create .venv and install the locked dependencies; reinstall only when pyproject or the lock change."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit("Python 3.11 或更高版本是必需的 (Python ≥ 3.11 required).")
    stamp = VENV / ".portal-install-stamp"
    digest = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (ROOT / "requirements.lock").read_bytes()
    ).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        say("创建虚拟环境 .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    say("安装依赖（requirements.lock 锁定版本）")
    run([PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    run([PYTHON, "-m", "pip", "install", "--quiet", "-c", "requirements.lock", "-e", ".[dev]"])
    stamp.write_text(digest)


def django_env(settings="cms.settings.dev", **extra):
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = settings
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


# run -------------------------------------------------------------------------------------------------------


def cmd_run(args):
    ensure_venv()
    env = django_env()
    VAR.mkdir(exist_ok=True)
    say("迁移数据库（默认 SQLite：var/db.sqlite3）")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
    say("加载演示数据（可重复运行）")
    run([PYTHON, "manage.py", "load_demo"], env=env)

    port = os.environ.get("PORT", "8000")
    sandbox_port = os.environ.get("SYNDICATION_SANDBOX_PORT", "8001")
    env.setdefault("WAGTAILADMIN_BASE_URL", f"http://127.0.0.1:{port}")
    env.setdefault("SYNDICATION_PUBLIC_BASE_URL", f"http://127.0.0.1:{port}")
    children = []
    sandbox_log = VAR / "sandbox.log"
    say(
        f"启动新媒体沙箱（模拟微信公众平台与微博接口）：http://127.0.0.1:{sandbox_port}/（日志：{sandbox_log.relative_to(ROOT)}）"
    )
    with open(sandbox_log, "ab") as log_file:
        children.append(
            subprocess.Popen(
                [PYTHON, "manage.py", "syndication_sandbox", "--port", sandbox_port],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        )
    log = VAR / "celery.log"
    say(f"启动 Celery worker + beat（内置 SQLite 消息队列，日志：{log.relative_to(ROOT)}）")
    with open(log, "ab") as log_file:
        children.append(
            subprocess.Popen(
                [
                    BIN / "celery",
                    "-A",
                    "cms",
                    "worker",
                    "--beat",
                    "--loglevel",
                    "info",
                    "--concurrency",
                    "2",
                    "--queues",
                    "syndication_urgent,celery,syndication",
                    "--schedule",
                    VAR / "celerybeat-schedule",
                ],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        )
    say(f"网站：http://127.0.0.1:{port}/    后台：http://127.0.0.1:{port}/admin/   （Ctrl+C 停止）")
    try:
        run([PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}"], env=env, check=False)
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()


# test ------------------------------------------------------------------------------------------------------


def ensure_chromium():
    """Debian's chromium for the browser tests; installed with apt when missing (root, or sudo without a
    password). Outside CI a machine without it skips the browser tests; in CI it is an error."""
    if Path(CHROMIUM).exists():
        return True
    apt = shutil.which("apt-get")
    if apt:
        prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
        if prefix is not None:
            say("安装 Chromium（apt：" + " ".join(APT_PACKAGES) + "）")
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            ok = subprocess.run(prefix + [apt, "-qq", "update"], env=env).returncode == 0
            ok = (
                ok
                and subprocess.run(
                    prefix + [apt, "install", "-y", "-qq", "--no-install-recommends", *APT_PACKAGES], env=env
                ).returncode
                == 0
            )
            if ok and Path(CHROMIUM).exists():
                return True
    if os.environ.get("CI"):
        sys.exit(f"无法安装 Chromium（{CHROMIUM}），浏览器测试无法运行。")
    say(f"未找到 Chromium（{CHROMIUM}），浏览器测试将被跳过。")
    return False


def pytest(label, env, extra):
    """The suite in parallel processes (pytest-xdist; PORTAL_TEST_PROCESSES, default one per core), or as asked
    when tests are named on the command line."""
    say(f"测试：{label}")
    parallel = [] if extra else ["-n", os.environ.get("PORTAL_TEST_PROCESSES", "auto")]
    return run([PYTHON, "-m", "pytest", *parallel, *extra], env=env, check=False)


def cmd_test(extra):
    ensure_venv()
    ensure_chromium()
    say("代码检查（ruff）")
    run([BIN / "ruff", "check", "."])
    run([BIN / "ruff", "format", "--check", "--quiet", "."])
    say("分层检查（import-linter，docs/architecture.md）")
    run([BIN / "lint-imports", "--no-cache"])

    with tempfile.TemporaryDirectory(prefix="portal-check-") as var_dir:
        env = django_env(settings="cms.settings.test", PORTAL_VAR_DIR=var_dir)
        env.pop("DATABASE_URL", None)
        say("Django 检查与迁移完整性")
        run([PYTHON, "manage.py", "check", "--fail-level", "WARNING"], env=env)
        run([PYTHON, "manage.py", "makemigrations", "--check", "--dry-run"], env=env)

    failures = []
    sqlite_env = django_env(settings="cms.settings.test")
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        sqlite_env.pop(name, None)
    if pytest("SQLite + 内置 SQLite 消息队列", sqlite_env, extra):
        failures.append("SQLite")

    database_url = os.environ.get("DATABASE_URL") or (
        DEFAULT_TEST_DATABASE_URL if answers("127.0.0.1", 5432) else None
    )
    broker_url = os.environ.get("CELERY_BROKER_URL") or (
        DEFAULT_TEST_BROKER_URL if answers("127.0.0.1", 6379) else None
    )
    if database_url:
        env = django_env(settings="cms.settings.test", DATABASE_URL=database_url)
        if broker_url:
            env["CELERY_BROKER_URL"] = broker_url
        label = "PostgreSQL" + (" + Redis" if broker_url else "")
        if pytest(label, env, extra):
            failures.append(label)
    else:
        say("未检测到 PostgreSQL（127.0.0.1:5432），跳过 PostgreSQL 测试。")

    if failures:
        say("失败：" + "、".join(failures))
        sys.exit(1)
    say("全部通过。")


def main(argv):
    if not argv or argv[0] not in {"run", "test"}:
        print(__doc__)
        return 2
    if argv[0] == "run":
        cmd_run(argv[1:])
    else:
        cmd_test(argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
