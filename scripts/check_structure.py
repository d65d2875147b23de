"""Fails when an application module is over 600 lines (split it by concern, see docs/architecture.md).

The arrows between packages are checked by `lint-imports` (the contracts in pyproject.toml); this checks size.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("rma", "policies", "returns_portal")
MAX_LINES = 600


def main() -> int:
    long = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").count("\n")
            if lines > MAX_LINES:
                long.append(f"{path.relative_to(ROOT)}: {lines} lines (at most {MAX_LINES})")
    for line in long:
        print(line)
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main())
