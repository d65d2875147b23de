"""Label speed: one render against a bare WeasyPrint page, and 500 labels through a real Celery worker.

(a) Median time of ``rma.logistics.documents.render_label`` for a typical label (Italian customer, two items,
    Milan return centre) against the median of a bare ``HTML(string=...).write_pdf()`` of a one-line
    A6 page, measured interleaved in the same process after a warm-up. Target: at most 1.5×.
    Chinese and Arabic labels and a bare page that shares the label's URL fetcher are reported too.
(b) 500 approved cases inserted into a fresh PostgreSQL database (``rp_bench``), ``label_render``
    enqueued on Redis (db 14) for each, a ``celery worker -c 2 -Q documents`` subprocess renders them;
    labels per second from the first enqueue to the 500th stored label, and the ratio to the
    single-process render rate (1 / median label time). Warm-up labels run first and are not counted.

Run: ``.venv/bin/python benchmarks/labels.py [--runs 200] [--labels 500]``. Needs the PostgreSQL
(trust auth) and Redis servers of the machine; creates and drops its database, flushes Redis db 14.
The last line of output is one JSON object.
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BENCH_DB = "rp_bench"
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
MEDIA = Path(tempfile.mkdtemp(prefix="rp-bench-media-"))

# The benchmark process and its worker share these settings; set before Django is imported.
os.environ.update(
    DJANGO_SETTINGS_MODULE="returns_portal.settings.test",
    DATABASE_URL=f"{PG_SERVER}/{BENCH_DB}",
    REDIS_URL=REDIS_URL,
    CELERY_TASK_ALWAYS_EAGER="0",
    MEDIA_ROOT=str(MEDIA),
)
sys.path.insert(0, str(ROOT))

LABEL_TARGET = 1.5
BARE_HTML = "<style>@page { size: A6 }</style><p>Return R0123456789</p>"


def log(message: str) -> None:
    print(message, flush=True)


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def single_process(runs: int) -> dict:
    from weasyprint import HTML

    from rma.logistics import documents
    from rma.logistics.documents import Address, DocumentLine, ShipmentDocumentData
    from rma.logistics.documents.render import _url_fetcher

    def data(sender: Address, language: str) -> ShipmentDocumentData:
        lines = tuple(
            DocumentLine(
                description=f"Giacca invernale {n}",
                quantity=n,
                unit_value=Decimal("49.90"),
                currency="EUR",
                sku=f"SKU-{n}",
                hs_code="620140",
                weight_grams=850,
                origin_country="VN",
                order_number="IT-1001",
            )
            for n in (1, 2)
        )
        return ShipmentDocumentData(
            rma_number="R0123456789",
            language=language,
            sender=sender,
            recipient=documents.address_from(None),
            lines=lines,
            issued_on=datetime.date(2026, 7, 1),
            carrier="Returns Post",
            tracking_number="RP1234567890ABIT",
            order_numbers=("IT-1001",),
        )

    typical = data(Address(name="Giulia Rossi", street="Via Roma 1", postcode="00184", city="Roma", country="IT"), "it")
    chinese = data(
        Address(name="王芳", street="南京东路100号", postcode="200001", city="上海市", country="CN"), "zh-hans"
    )
    arabic = data(
        Address(name="أحمد علي", street="شارع الملك فهد 12", postcode="11564", city="الرياض", country="SA"), "en"
    )
    cases = {
        "bare": lambda: HTML(string=BARE_HTML).write_pdf(),
        "bare_shared_fetcher": lambda: HTML(string=BARE_HTML, url_fetcher=_url_fetcher()).write_pdf(),
        "label": lambda: documents.render_label(typical),
        "label_4x6": lambda: documents.render_label(typical, fmt="4x6"),
        "label_chinese": lambda: documents.render_label(chinese),
        "label_arabic": lambda: documents.render_label(arabic),
    }
    for render in cases.values():  # warm-up: fonts, cmaps, templates, stylesheets, Pillow plugins
        for _ in range(10):
            render()
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):  # interleaved, so a slow moment of the machine hits every figure alike
        for name, render in cases.items():
            start = time.perf_counter()
            render()
            samples[name].append(time.perf_counter() - start)
    medians = {name: median_ms(values) for name, values in samples.items()}
    return {
        "runs": runs,
        "median_ms": medians,
        "label_ratio": round(medians["label"] / medians["bare"], 3),
        "label_ratio_vs_bare_shared_fetcher": round(medians["label"] / medians["bare_shared_fetcher"], 3),
        "label_chinese_ratio": round(medians["label_chinese"] / medians["bare"], 3),
        "render_rate_per_s": round(1000 / medians["label"], 2),
    }


def database_create() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def database_drop() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


def approved_cases(count: int, prefix: str) -> list[int]:
    """Approved cases, one item each, inserted in bulk (what ``case_approve`` leaves behind)."""
    from django.utils import timezone

    from rma.cases.models import ReturnCase, ReturnItem
    from rma.orders.models import Customer, Order, OrderLine

    today = timezone.localdate()
    customers = Customer.objects.bulk_create(
        Customer(email=f"{prefix}{n}@bench.example", name=f"Cliente {n}", language="it", country="IT")
        for n in range(count)
    )
    orders = Order.objects.bulk_create(
        Order(
            number=f"{prefix}-{n:05d}",
            customer=customer,
            currency="EUR",
            ordered_on=today - datetime.timedelta(days=5),
            delivered_on=today - datetime.timedelta(days=3),
            ship_name=customer.name,
            ship_street="Via Roma 1",
            ship_postcode="00184",
            ship_city="Roma",
            ship_country="IT",
        )
        for n, customer in enumerate(customers)
    )
    lines = OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            sku=f"SKU-{n}",
            name="Giacca invernale",
            category="apparel",
            quantity=1,
            unit_price=Decimal("49.90"),
            hs_code="620140",
            weight_grams=850,
            origin_country="VN",
        )
        for n, order in enumerate(orders)
    )
    cases = ReturnCase.objects.bulk_create(
        ReturnCase(customer=customer, language="it", country="IT", currency="EUR", status="approved")
        for customer in customers
    )
    ReturnItem.objects.bulk_create(
        ReturnItem(case=case, order_line=line, quantity=1, reason="too_small", eligible=True)
        for case, line in zip(cases, lines, strict=True)
    )
    return [case.pk for case in cases]


def worker_start(log_path: Path) -> tuple[subprocess.Popen, str]:
    from returns_portal.celery import app

    name = f"bench-{uuid.uuid4().hex[:8]}@localhost"
    command = [sys.executable, "-m", "celery", "-A", "returns_portal", "worker", "-n", name, "-c", "2"]
    command += ["-Q", "documents", "--loglevel=WARNING", "--without-gossip", "--without-mingle"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=dict(os.environ), stdout=log_path.open("w"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[name], timeout=1):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("worker did not start:\n" + log_path.read_text())
    return process, name


def labels_done(case_ids: list[int]) -> int:
    from rma.logistics.models import Shipment

    return Shipment.objects.filter(case_id__in=case_ids).count()


def wait_for_labels(case_ids: list[int], process: subprocess.Popen, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while (done := labels_done(case_ids)) < len(case_ids):
        if process.poll() is not None:
            raise RuntimeError("the worker stopped")
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {done} of {len(case_ids)} labels after {timeout}s")
        time.sleep(0.05)
    return time.perf_counter()


def through_worker(count: int, warmup: int) -> dict:
    import redis

    database_create()
    from django.core.management import call_command

    from returns_portal.celery import app
    from rma.logistics.tasks import label_render

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(REDIS_URL).flushdb()
    warm_ids, ids = approved_cases(warmup, "warm"), approved_cases(count, "bench")
    log_path = MEDIA / "worker.log"
    process, _name = worker_start(log_path)
    try:
        for case_id in warm_ids:  # each worker child loads fonts, templates and stylesheets once
            label_render.delay(case_id)
        wait_for_labels(warm_ids, process, timeout=120)
        start = time.perf_counter()
        for case_id in ids:
            label_render.delay(case_id)
        end = wait_for_labels(ids, process, timeout=600)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        app.control.purge()
    from rma.cases.models import ReturnCase

    issued = ReturnCase.objects.filter(pk__in=ids, status="label_issued").count()
    seconds = end - start
    return {"labels": count, "concurrency": 2, "seconds": round(seconds, 2), "labels_per_s": round(count / seconds, 2),
            "cases_label_issued": issued}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed renders of each kind (a)")
    parser.add_argument("--labels", type=int, default=500, help="labels through the worker (b)")
    parser.add_argument("--warmup-labels", type=int, default=10)
    args = parser.parse_args()

    import django

    django.setup()
    log(f"(a) single process, {args.runs} interleaved runs after warm-up")
    single = single_process(args.runs)
    for name, value in single["median_ms"].items():
        log(f"    {name:22} {value:8.2f} ms")
    log(f"    label / bare = {single['label_ratio']} (target <= {LABEL_TARGET})")

    log(f"(b) {args.labels} labels through a celery worker -c 2 on PostgreSQL and Redis")
    try:
        worker = through_worker(args.labels, args.warmup_labels)
    finally:
        from django.db import connections

        connections.close_all()
        database_drop()
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        shutil.rmtree(MEDIA, ignore_errors=True)
    worker["ratio_to_single_process_render_rate"] = round(worker["labels_per_s"] / single["render_rate_per_s"], 3)
    log(f"    {worker['labels_per_s']} labels/s, {worker['ratio_to_single_process_render_rate']}× the render rate")

    result = {
        "benchmark": "labels",
        "label_median_ms": single["median_ms"]["label"],
        "bare_median_ms": single["median_ms"]["bare"],
        "label_ratio": single["label_ratio"],
        "label_target_max_ratio": LABEL_TARGET,
        "single": single,
        "worker": worker,
        "meets_targets": single["label_ratio"] <= LABEL_TARGET and worker["cases_label_issued"] == args.labels,
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
