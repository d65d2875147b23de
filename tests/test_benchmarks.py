"""Every benchmark starts as its docs say to run it (``.venv/bin/python benchmarks/<name>.py``): none rots."""

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
