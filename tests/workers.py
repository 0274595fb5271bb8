"""A Celery worker for tests that need one, in this process."""

import contextlib

from celery.contrib.testing.worker import start_worker

from cms.celery import app


def purge_queues():
    """Drop the messages earlier tests left in the broker (their jobs and index updates are long gone; a worker
    would spend the test working through them)."""
    with app.connection_for_write() as connection:
        for queue in ("syndication_urgent", "celery", "syndication"):
            try:
                connection.default_channel.queue_purge(queue)
            except Exception:  # noqa: BLE001 - a queue never declared has nothing to purge
                pass


@contextlib.contextmanager
def running_worker(pool="solo", concurrency=1, queues=None):
    """A worker thread; ``queues`` limits what it consumes (default: every queue in ``CELERY_TASK_QUEUES``)."""
    purge_queues()
    options = {"queues": list(queues)} if queues else {}
    with start_worker(
        app, pool=pool, concurrency=concurrency, perform_ping_check=False, shutdown_timeout=30, **options
    ) as worker:
        yield worker
