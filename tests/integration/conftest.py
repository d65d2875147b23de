"""A real Celery worker on real Redis, sharing the test database (PostgreSQL) with the test process."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kombu.pools
import pytest
from django.db import connection

from returns_portal.celery import app

ROOT = Path(__file__).resolve().parents[2]


def _needs_real_services():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (a real Redis broker); .ci/run provides it")
    if connection.vendor == "sqlite":
        pytest.skip("needs DATABASE_URL pointing at PostgreSQL so a worker process can share the test database")


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _use_broker(url: str, eager: bool):
    app.conf.update(broker_url=url, task_always_eager=eager)
    # Forget connections made for the previous broker: kombu keeps pools per connection globally.
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class Workers:
    """Start real `celery worker` processes that share the test database and Redis; stop them at the end."""

    def __init__(self, tmp_path, media: Path, broker: str):
        self.tmp_path, self.media, self.broker = tmp_path, media, broker
        self.running: list[subprocess.Popen] = []

    def start(self, *, extra_env: dict | None = None, concurrency: int = 2) -> subprocess.Popen:
        name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "returns_portal.settings.test",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.broker,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "MEDIA_ROOT": str(self.media),
            **(extra_env or {}),
        }
        log_path = self.tmp_path / f"{name.split('@')[0]}.log"
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "returns_portal", "worker", "-n", name, "-c", str(concurrency),
                 "-Q", "default,documents,notifications,sweeps", "--loglevel=INFO", "--without-gossip",
                 "--without-mingle"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        process.log_path = log_path
        self.running.append(process)
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=1):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("worker did not start:\n" + log_path.read_text())
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool processes at once, as a crash or an OOM kill would."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def workers(transactional_db, settings, tmp_path):
    _needs_real_services()
    broker = os.environ["REDIS_URL"]
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _use_broker(broker, eager=False)
    app.control.purge()
    pool = Workers(tmp_path, media, broker)
    try:
        yield pool
    finally:
        pool.stop_all()
        _use_broker(settings.CELERY_BROKER_URL, eager=True)


@pytest.fixture
def celery_worker(workers):
    """One running worker; tasks enqueued by the test go through Redis to it."""
    return workers.start()


def wait_for(predicate, timeout=60, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
