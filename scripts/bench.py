"""Run every benchmark in benchmarks/ (``--smoke``: at a tiny scale, for CI) and print one table of their figures.

Each benchmark prints, as its last line, one JSON object with ``meets_targets``; a benchmark that fails,
or whose last line is not such an object, fails this script. In smoke mode ``meets_targets`` must be
present but is not asserted (the scale is too small and CI machines too noisy for the figures to mean
anything); in a full run it is reported in the table and a miss fails the script too.

    .venv/bin/python scripts/bench.py [--smoke] [--only labels,analytics] [--json results.json]

The full set needs PostgreSQL (trust auth, ``BENCH_PG``, default postgres://postgres@127.0.0.1:5432) and
Redis (``BENCH_REDIS``, default redis://127.0.0.1:6379/14); the policy engine needs neither.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = sorted(p for p in (ROOT / "benchmarks").glob("*.py") if not p.name.startswith("_"))


def last_json_line(output: str) -> dict | None:
    lines = [line for line in output.splitlines() if line.strip()]
    if not lines:
        return None
    try:
        result = json.loads(lines[-1])
    except json.JSONDecodeError:
        return None
    return result if isinstance(result, dict) else None


def run(script: Path, smoke: bool) -> dict:
    command = [sys.executable, str(script), *(["--smoke"] if smoke else [])]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = round(time.perf_counter() - started, 1)
    result = last_json_line(done.stdout)
    problem = None
    if done.returncode != 0:
        problem = f"exit status {done.returncode}"
    elif result is None:
        problem = "the last line is not a JSON object"
    elif "meets_targets" not in result:
        problem = "no meets_targets in its last line"
    if problem:
        sys.stderr.write(f"--- {script.name}: {problem}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}\n")
    return {"name": script.stem, "seconds": seconds, "problem": problem, "result": result or {}}


def table(rows: list[dict]) -> str:
    header = ("benchmark", "seconds", "meets_targets", "figures")
    body = []
    for row in rows:
        result = row["result"]
        figures = ", ".join(f"{k}={v}" for k, v in result.get("summary", {}).items())
        verdict = row["problem"] or str(result.get("meets_targets")).lower()
        body.append((row["name"], str(row["seconds"]), verdict, figures))
    widths = [max(len(r[i]) for r in (header, *body)) for i in range(3)]
    lines = []
    for r in (header, *body):
        lines.append("  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(r)))
    lines.insert(1, "  ".join("-" * w for w in widths) + "  " + "-" * 7)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny scale; targets reported, not asserted")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--json", type=Path, help="also write every benchmark's full result to this file")
    args = parser.parse_args()
    wanted = {name for name in args.only.split(",") if name}
    scripts = [s for s in BENCHMARKS if not wanted or s.stem in wanted]
    rows = []
    for script in scripts:
        print(f"== {script.name}{' --smoke' if args.smoke else ''}", flush=True)
        rows.append(run(script, args.smoke))
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps({row["name"]: row for row in rows}, indent=2, ensure_ascii=False))
    failed = [row["name"] for row in rows if row["problem"]]
    missed = [] if args.smoke else [row["name"] for row in rows if row["result"].get("meets_targets") is not True]
    if failed:
        print(f"failed: {', '.join(failed)}")
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 1 if failed or missed else 0


if __name__ == "__main__":
    sys.exit(main())
