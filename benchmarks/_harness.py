"""What the page benchmarks share: their own PostgreSQL database, a bare view as the baseline, timing.

Imported as ``benchmarks._harness`` (each page benchmark puts the project root on the path).
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Engineers sharing a server give their runs a prefix of their own (BENCH_DB_PREFIX=rp_me_).
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "rp_")


def database_name(suffix: str) -> str:
    """The benchmark's own database: ``rp_<suffix>`` unless ``BENCH_DB_PREFIX`` says otherwise."""
    return f"{DB_PREFIX}{suffix}"


def use_database(name: str) -> None:
    """Point Django (this process and the ``manage`` subprocesses) at the benchmark's own database."""
    os.environ.update(DJANGO_SETTINGS_MODULE="returns_portal.settings.test", DATABASE_URL=f"{PG_SERVER}/{name}")


def log(message: str) -> None:
    print(message, flush=True)


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{PG_SERVER}/postgres", "-qc", sql], check=True)


def manage(*args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def install_bare_view(text: str) -> None:
    """Serve ``/bench/bare/`` (a constant page through the full middleware stack) next to the site's URLs."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import path

    from returns_portal.urls import urlpatterns

    page = f"<!DOCTYPE html><html><body><p>{text}</p></body></html>"
    module = type(sys)("benchmarks_urls")
    module.urlpatterns = [path("bench/bare/", lambda request: HttpResponse(page)), *urlpatterns]
    sys.modules["benchmarks_urls"] = module
    settings.ROOT_URLCONF = "benchmarks_urls"


def p95(samples: list[float]) -> float:
    return round(statistics.quantiles(samples, n=20)[18] * 1000, 2)


def measure(client, urls: dict, requests: int, *, warmup: int = 10, before: dict | None = None) -> dict:
    """p95, median and requests per second of each URL, requested interleaved so noise hits all alike.

    ``before`` maps a name to a function called (untimed) before each of its requests.
    """
    before = before or {}
    for name, url in urls.items():  # warm-up: caches, connections, plans
        for _ in range(warmup):
            before.get(name, lambda: None)()
            assert client.get(url).status_code == 200, url
    samples = {name: [] for name in urls}
    for _ in range(requests):
        for name, url in urls.items():
            before.get(name, lambda: None)()
            start = time.perf_counter()
            response = client.get(url)
            samples[name].append(time.perf_counter() - start)
            assert response.status_code == 200
    return {
        name: {"p95_ms": p95(s), "median_ms": round(statistics.median(s) * 1000, 2), "rps": round(len(s) / sum(s), 1)}
        for name, s in samples.items()
    }
