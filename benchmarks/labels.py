"""Label speed: one render against a bare WeasyPrint page, and labels through a real Celery worker.

(a) Median time of ``rma.logistics.documents.render_label`` for a typical label (Italian customer, two items,
    Milan return centre), a Chinese and an Arabic one, against the median of a bare one-line A6 page
    rendered with a shared URL fetcher (``HTML(string=..., url_fetcher=<one fetcher>).write_pdf()``, what
    WeasyPrint itself can do for one page), measured interleaved in the same process after a warm-up.
    Targets: label at most 1.5x the bare page; Chinese and Arabic labels at most 2x. The bare page with
    WeasyPrint's default fetcher (a new one, with a new TLS context, per render) is reported too.
(b) Approved cases inserted into a fresh PostgreSQL database (``rp_bench``), ``label_render`` enqueued on
    Redis (db 14) for each, a ``celery worker -c 2 -Q documents`` subprocess renders them. Warm-up labels
    first, then labels until 200 are done (the worker's resident memory is read), then 500 timed: labels per
    second from the first enqueue to the 500th stored label, as a ratio to the single-process render rate
    (1 / median label time); target at least 1.5x (two processes on two cores). Then labels until 2,000 are
    done: the worker's resident memory (the main process and its children) within 20% of the figure at 200.

Run: ``.venv/bin/python benchmarks/labels.py [--runs 200] [--labels 500]`` (``--smoke``: a few seconds, the
targets reported, not met). Needs the PostgreSQL (trust auth) and Redis servers of the machine; creates and
drops its database (``BENCH_DB_PREFIX`` renames it), flushes its Redis db (``BENCH_REDIS``).
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
# Only the project root on the path (for benchmarks._harness), not this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from benchmarks._harness import PG_SERVER, database_name  # noqa: E402

BENCH_DB = database_name("bench")
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

LABEL_TARGET = 1.5  # label / bare page with a shared fetcher
SCRIPT_TARGET = 2.0  # Chinese and Arabic labels / the same bare page
WORKER_TARGET = 1.5  # labels per second through a worker with -c 2 / the single-process render rate
RSS_GROWTH_TARGET = 0.20  # resident memory after 2,000 labels / after 200, minus one
BARE_HTML = "<style>@page { size: A6 }</style><p>Return R0123456789</p>"


def log(message: str) -> None:
    print(message, flush=True)


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def single_process(runs: int, warmup: int = 10) -> dict:
    from weasyprint import HTML

    from returns_portal.pdf import pdf_url_fetcher as _url_fetcher
    from rma.logistics import documents
    from rma.logistics.documents import Address, DocumentLine, ShipmentDocumentData, codes

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

    def fresh(data: ShipmentDocumentData, **kwargs) -> bytes:
        """A label as a task's first document makes it: its QR code and barcode drawn, not found kept."""
        codes.qr_png_uri.cache_clear()
        codes.code128_png_uri.cache_clear()
        return documents.render_label(data, **kwargs)

    cases = {
        "bare": lambda: HTML(string=BARE_HTML).write_pdf(),
        "bare_shared_fetcher": lambda: HTML(string=BARE_HTML, url_fetcher=_url_fetcher()).write_pdf(),
        "label": lambda: fresh(typical),
        "label_4x6": lambda: fresh(typical, fmt="4x6"),
        "label_chinese": lambda: fresh(chinese),
        "label_arabic": lambda: fresh(arabic),
        "packing_slip": lambda: documents.render_packing_slip(typical),
    }
    for render in cases.values():  # warm-up: fonts, cmaps, templates, stylesheets, Pillow plugins
        for _ in range(warmup):
            render()
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):  # interleaved, so a slow moment of the machine hits every figure alike
        for name, render in cases.items():
            start = time.perf_counter()
            render()
            samples[name].append(time.perf_counter() - start)
    medians = {name: median_ms(values) for name, values in samples.items()}
    floor = medians["bare_shared_fetcher"]
    return {
        "runs": runs,
        "median_ms": medians,
        "ratios_to_bare_shared_fetcher": {
            name: round(medians[name] / floor, 3) for name in ("label", "label_4x6", "label_chinese", "label_arabic")
        },
        "label_ratio_to_bare_default_fetcher": round(medians["label"] / medians["bare"], 3),
        "render_rate_per_s": round(1000 / medians["label"], 2),
        # What one label task renders for a domestic return: the A6 label, the 4x6 label, the packing slip.
        "task_documents_ms": round(medians["label"] + medians["label_4x6"] + medians["packing_slip"], 2),
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


def resident_mb(pid: int) -> float:
    """Resident memory of a process and its children (the prefork pool), from /proc, in MB."""
    total_kb, pids = 0, [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue
        total_kb += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        pids.extend(int(child) for child in children)
    return round(total_kb / 1024, 1)


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


def through_worker(count: int, warmup: int, rss_early: int, rss_late: int) -> dict:
    """Warm-up, labels up to ``rss_early`` (memory read), ``count`` timed, labels up to ``rss_late`` (memory)."""
    import redis

    database_create()
    from django.core.management import call_command

    from returns_portal.celery import app
    from rma.logistics.tasks import label_render

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(REDIS_URL).flushdb()
    warm_ids = approved_cases(warmup, "warm")
    early_ids = approved_cases(max(rss_early - warmup, 0), "early")
    ids = approved_cases(count, "bench")
    late_ids = approved_cases(max(rss_late - warmup - len(early_ids) - count, 0), "late")
    log_path = MEDIA / "worker.log"
    process, _name = worker_start(log_path)

    def run(batch: list[int], timeout: float) -> float:
        for case_id in batch:
            label_render.delay(case_id)
        return wait_for_labels(batch, process, timeout=timeout)

    try:
        run(warm_ids, 120)  # each worker child loads fonts, templates and stylesheets once
        run(early_ids, 600)
        rss_at_early = resident_mb(process.pid)
        start = time.perf_counter()
        end = run(ids, 600)
        run(late_ids, 1200)
        rss_at_late = resident_mb(process.pid)
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
    total = len(warm_ids) + len(early_ids) + len(ids) + len(late_ids)
    return {
        "labels": count,
        "concurrency": 2,
        "seconds": round(seconds, 2),
        "labels_per_s": round(count / seconds, 2),
        "cases_label_issued": issued,
        "rss_mb": {str(len(warm_ids) + len(early_ids)): rss_at_early, str(total): rss_at_late},
        "rss_growth": round(rss_at_late / rss_at_early - 1, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed renders of each kind (a)")
    parser.add_argument("--labels", type=int, default=500, help="timed labels through the worker (b)")
    parser.add_argument("--warmup-labels", type=int, default=10)
    parser.add_argument("--rss-early", type=int, default=200, help="labels done when memory is first read")
    parser.add_argument("--rss-late", type=int, default=2000, help="labels done when memory is read again")
    parser.add_argument(
        "--smoke", action="store_true", help="a tiny scale that runs in seconds (CI); the targets are reported, not met"
    )
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.labels, args.warmup_labels, args.rss_early, args.rss_late = 3, 6, 2, 8, 16

    import django

    django.setup()
    log(f"(a) single process, {args.runs} interleaved runs after warm-up")
    single = single_process(args.runs, warmup=2 if args.smoke else 10)
    for name, value in single["median_ms"].items():
        log(f"    {name:22} {value:8.2f} ms")
    ratios = single["ratios_to_bare_shared_fetcher"]
    log(f"    label / bare with a shared fetcher = {ratios['label']} (target <= {LABEL_TARGET})")

    log(f"(b) {args.labels} labels through a celery worker -c 2 on PostgreSQL and Redis ({args.rss_late} in all)")
    try:
        worker = through_worker(args.labels, args.warmup_labels, args.rss_early, args.rss_late)
    finally:
        from django.db import connections

        connections.close_all()
        database_drop()
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        shutil.rmtree(MEDIA, ignore_errors=True)
    worker["ratio_to_single_process_render_rate"] = round(worker["labels_per_s"] / single["render_rate_per_s"], 3)
    # How well the two worker processes scale: labels per second against one process rendering a task's documents.
    worker["ratio_to_single_process_task_rate"] = round(worker["labels_per_s"] * single["task_documents_ms"] / 1000, 3)
    log(f"    {worker['labels_per_s']} labels/s, {worker['ratio_to_single_process_render_rate']}x the render rate")
    log(f"    worker memory {worker['rss_mb']} MB, growth {worker['rss_growth']}")

    checks = {
        "label": ratios["label"] <= LABEL_TARGET,
        "label_chinese": ratios["label_chinese"] <= SCRIPT_TARGET,
        "label_arabic": ratios["label_arabic"] <= SCRIPT_TARGET,
        "worker_rate": worker["ratio_to_single_process_render_rate"] >= WORKER_TARGET,
        "worker_memory": worker["rss_growth"] <= RSS_GROWTH_TARGET,
        "every_case_label_issued": worker["cases_label_issued"] == args.labels,
    }
    result = {
        "benchmark": "labels",
        "label_median_ms": single["median_ms"]["label"],
        "bare_shared_fetcher_median_ms": single["median_ms"]["bare_shared_fetcher"],
        "single": single,
        "worker": worker,
        "targets": {
            "label_max_ratio": LABEL_TARGET,
            "chinese_and_arabic_max_ratio": SCRIPT_TARGET,
            "worker_min_ratio": WORKER_TARGET,
            "rss_max_growth": RSS_GROWTH_TARGET,
        },
        "checks": checks,
        "meets_targets": all(checks.values()),
        "smoke": args.smoke,
        "summary": {
            "label_ratio": ratios["label"],
            "chinese_ratio": ratios["label_chinese"],
            "arabic_ratio": ratios["label_arabic"],
            "worker_ratio": worker["ratio_to_single_process_render_rate"],
            "rss_growth": worker["rss_growth"],
        },
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
