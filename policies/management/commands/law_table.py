"""manage.py law_table: print, write or check the generated jurisdiction table and source list in docs/law.md."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from policies.law_table import render, replace_in


class Command(BaseCommand):
    help = (
        "Print the jurisdiction table and source list generated from policies/law.py; --write puts them in docs/law.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Replace the generated part of docs/law.md.")
        parser.add_argument("--check", action="store_true", help="Exit 1 if docs/law.md differs from the code.")
        parser.add_argument("--path", default=str(Path(settings.BASE_DIR) / "docs" / "law.md"), help="The document.")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not options["write"] and not options["check"]:
            self.stdout.write(render())
            return
        current = path.read_text(encoding="utf-8")
        updated = replace_in(current)
        if options["check"]:
            if updated != current:
                raise CommandError(f"{path} is out of date: run manage.py law_table --write.", returncode=1)
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(updated, encoding="utf-8")
        self.stdout.write(f"Wrote the jurisdiction table to {path}.")
