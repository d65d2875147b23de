"""Every benchmark starts as its docs say to run it (``.venv/bin/python benchmarks/<name>.py``): none rots."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(p for p in (ROOT / "benchmarks").glob("*.py") if not p.name.startswith("_"))


def test_no_benchmark_is_named_like_a_standard_library_module():
    clashes = [p.name for p in SCRIPTS if p.stem in sys.stdlib_module_names]
    assert not clashes, f"{clashes} would shadow the standard library for every script in benchmarks/"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_benchmark_starts(script):
    done = subprocess.run(
        [sys.executable, str(script), "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage" in done.stdout.lower()
    assert "--smoke" in done.stdout, "every benchmark has a --smoke mode, which CI runs (scripts/bench.py --smoke)"


def _bench_runner():
    spec = importlib.util.spec_from_file_location("bench_runner", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_runner_reads_only_a_json_object_on_the_last_line():
    runner = _bench_runner()
    assert runner.last_json_line('detail\n{"meets_targets": false}\n') == {"meets_targets": False}
    assert runner.last_json_line('{"meets_targets": true}\ntrailing words') is None
    assert runner.last_json_line("[1, 2]") is None
    assert runner.last_json_line("") is None


def test_the_runner_prints_one_row_per_benchmark():
    rows = [
        {"name": "labels", "seconds": 1.5, "problem": None, "result": {"meets_targets": True, "summary": {"r": 1.2}}},
        {"name": "analytics", "seconds": 2.0, "problem": "exit status 1", "result": {}},
    ]
    lines = _bench_runner().table(rows).splitlines()
    assert len(lines) == 4
    assert lines[2].split()[:4] == ["labels", "1.5", "true", "r=1.2"]
    assert "exit status 1" in lines[3]
