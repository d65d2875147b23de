"""Fails when `makemessages` would change a catalogue, or when a catalogue has untranslated or fuzzy entries.

The catalogues are restored afterwards, whatever happens; only the POT-Creation-Date header is ignored.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
MANAGE = [sys.executable, str(ROOT / "manage.py")]
IGNORE = ["--ignore=.venv", "--ignore=staticfiles", "--ignore=node_modules", "--ignore=tests", "--ignore=benchmarks"]


def normalised(path: Path) -> str:
    return re.sub(r'^"POT-Creation-Date:.*\n', "", path.read_text(encoding="utf-8"), flags=re.M)


def main() -> int:
    problems = []
    backup = Path(tempfile.mkdtemp()) / "locale"
    shutil.copytree(LOCALE, backup)
    try:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "returns_portal.settings.local"}
        for domain in ("django",):
            subprocess.run(
                [*MANAGE, "makemessages", "--all", "--no-location", "--no-obsolete", "-d", domain, "-v0", *IGNORE],
                check=True,
                cwd=ROOT,
                env=env,
            )
        for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
            before = backup / po.relative_to(LOCALE)
            if not before.exists() or normalised(before) != normalised(po):
                problems.append(f"{po.relative_to(ROOT)}: out of date; run `make messages-update` and translate")
    finally:
        shutil.rmtree(LOCALE)
        shutil.copytree(backup, LOCALE)
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        stats = subprocess.run(
            ["msgfmt", "--statistics", "-o", os.devnull, str(po)], capture_output=True, text=True, check=False
        ).stderr.strip()
        if "untranslated" in stats or "fuzzy" in stats or "error" in stats:
            problems.append(f"{po.relative_to(ROOT)}: {stats}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
