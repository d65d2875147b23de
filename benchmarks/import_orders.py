"""Order import speed and memory: 100,000 lines (25,000 orders) on PostgreSQL, against a bare COPY of the same rows.

A fresh PostgreSQL database (``rp_import_bench``) is migrated; a CSV in our format is generated (four lines per
order, customers from 20 countries, non-ASCII names, quoted commas). Timed in the same run:
- the baseline: ``COPY`` of the same file into a table of text columns (psycopg), no checks, no model;
- ``manage.py import_orders FILE`` into the empty database (wall time and the process's peak memory);
- the same file imported again (every order found unchanged: the re-import path).
Targets (issue #21): import and re-import each under 60 s, peak memory under 250 MB.

Run: ``.venv/bin/python benchmarks/import_orders.py [--orders 25000] [--smoke] [--keep]``.
Needs the machine's PostgreSQL (trust auth, ``BENCH_PG``). The last line of output is one JSON object.
"""

import sys
from pathlib import Path

# Only the project root on the path (for benchmarks._harness), not this folder.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from decimal import Decimal  # noqa: E402

from benchmarks._harness import PG_SERVER, ROOT, database_name, log, manage, psql, use_database  # noqa: E402

BENCH_DB = database_name("import_bench")
TARGET_S = 60.0
TARGET_MB = 250.0
LINES_PER_ORDER = 4
HEADER = [
    "order_number", "email", "customer_name", "language", "country", "currency", "ordered_on", "delivered_on",
    "ship_street", "ship_postcode", "ship_city", "sku", "product_name", "category", "quantity", "unit_price",
]  # fmt: skip
COUNTRIES = [("IT", "EUR", "it"), ("DE", "EUR", "de"), ("FR", "EUR", "fr"), ("ES", "EUR", "es"), ("RO", "RON", "ro"),
             ("CN", "CNY", "zh-hans"), ("JP", "JPY", "ja"), ("US-CA", "USD", "en"), ("GB", "GBP", "en"),
             ("AE", "AED", "ar"), ("AT", "EUR", "de"), ("BE", "EUR", "fr"), ("NL", "EUR", "en"), ("PL", "PLN", "en"),
             ("SE", "SEK", "en"), ("CH", "CHF", "de"), ("TR", "TRY", "en"), ("KR", "KRW", "en"), ("BR", "BRL", "en"),
             ("AU", "AUD", "en")]  # fmt: skip
NAMES = [
    "Anna Bianchi",
    "Jürgen Größ",
    "Zoë Lefèvre",
    "李雷",
    "山田 花子",
    "María Núñez",
    "محمد العلي",
    "Ioana Popescu",
]
CHILD = """
import json, resource, sys, time
import django
django.setup()
from django.core.management import call_command
started = time.perf_counter()
call_command("import_orders", sys.argv[1], stdout=open("/dev/null", "w"))
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def generate(path: Path, orders: int) -> int:
    rng = random.Random(21)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(orders):
            country, currency, language = COUNTRIES[n % len(COUNTRIES)]
            name = NAMES[n % len(NAMES)]
            day = 1 + n % 27
            zero_decimals = currency in ("JPY", "KRW")
            for line in range(LINES_PER_ORDER):
                price = f"{rng.randint(500, 20000)}" if zero_decimals else str(Decimal(rng.randint(500, 20000)) / 100)
                writer.writerow([
                    f"B-{n:07d}", f"customer{n % 9000}@example.com", name, language, country, currency,
                    f"2026-10-{day:02d}", f"2026-11-{day:02d}", f"Via Roma {n % 200}, int. {n % 7}", "20121", "Milano",
                    f"SKU-{line}-{n % 500:04d}", f"Product {line}, size M", "apparel", 1 + line % 2, price,
                ])  # fmt: skip
    return orders * LINES_PER_ORDER


def copy_baseline(path: Path) -> float:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/{BENCH_DB}", autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute(f"CREATE TABLE bench_copy ({', '.join(f'{c} text' for c in HEADER)})")
        started = time.perf_counter()
        sql = "COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)"
        with conn.cursor() as cursor, cursor.copy(sql) as copy, path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        return time.perf_counter() - started


def run_import(path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "returns_portal.settings.test"},
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"import failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=25_000)
    parser.add_argument("--smoke", action="store_true", help="a tiny scale that runs in seconds (CI)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    orders = 250 if args.smoke else args.orders
    use_database(BENCH_DB)
    psql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    psql(f"CREATE DATABASE {BENCH_DB}")
    try:
        log(f"migrating {BENCH_DB}")
        manage("migrate", "-v0")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "orders.csv"
            lines = generate(path, orders)
            log(f"{lines} lines, {orders} orders, {path.stat().st_size / 1e6:.1f} MB")
            copy_s = copy_baseline(path)
            log(f"bare COPY: {round(copy_s, 2)} s")
            first = run_import(path)
            log(f"import: {first['seconds']:.1f} s, peak {first['peak_mb']:.0f} MB")
            again = run_import(path)
            log(f"re-import: {again['seconds']:.1f} s, peak {again['peak_mb']:.0f} MB")
    finally:
        if not args.keep:
            psql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    figures = {
        "lines": lines,
        "orders": orders,
        "copy_s": round(copy_s, 3),
        "import_s": round(first["seconds"], 2),
        "reimport_s": round(again["seconds"], 2),
        "import_peak_mb": round(first["peak_mb"], 1),
        "reimport_peak_mb": round(again["peak_mb"], 1),
        "import_vs_copy": round(first["seconds"] / copy_s, 1),
        "reimport_vs_copy": round(again["seconds"] / copy_s, 1),
    }
    targets = {"import_s": TARGET_S, "reimport_s": TARGET_S, "peak_mb": TARGET_MB}
    meets = (
        figures["import_s"] < TARGET_S
        and figures["reimport_s"] < TARGET_S
        and max(figures["import_peak_mb"], figures["reimport_peak_mb"]) < TARGET_MB
    )
    summary = {k: figures[k] for k in ("import_s", "reimport_s", "import_peak_mb", "import_vs_copy")}
    print(json.dumps({"benchmark": "import_orders", "smoke": args.smoke, **figures, "targets": targets,
                      "summary": summary, "meets_targets": meets}))  # fmt: skip


if __name__ == "__main__":
    main()
