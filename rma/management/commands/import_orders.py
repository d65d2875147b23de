"""manage.py import_orders FILE: load the shop's orders from our CSV or JSON Lines, or a Shopify orders export."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rma.orders import imports


class Command(BaseCommand):
    help = "Import orders from a file (docs/import-orders.md). All or nothing; every problem is reported."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", choices=imports.FORMATS,
            help="csv (ours), jsonl, or shopify (Shopify's 'Export orders' CSV); default: from the extension",
        )  # fmt: skip
        parser.add_argument("--mapping", type=Path, help="JSON file filling what the export lacks (category, …)")
        parser.add_argument("--dry-run", action="store_true", help="check and count what would change; write nothing")
        parser.add_argument("--force", action="store_true", help="also change orders that already have returns")

    def _progress(self, done: int, total: int) -> None:
        if sys.stderr.isatty():
            width = 30
            filled = width * done // max(total, 1)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} orders")
            sys.stderr.flush()
            if done >= total:
                sys.stderr.write("\n")

    def handle(self, *args, file: Path, format: str | None, mapping: Path | None, dry_run: bool, force: bool,
               **options):  # fmt: skip
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        fmt = format or ("csv" if file.suffix.lower() == ".csv" else "jsonl")
        rules = None
        if mapping:
            try:
                rules = imports.Mapping.from_json(mapping.read_text(encoding="utf-8"))
            except (OSError, ValueError, TypeError) as exc:
                raise CommandError(f"{mapping}: {exc}") from None
        try:
            result = imports.file_import(
                file.read_bytes(), fmt, mapping=rules, force=force, dry_run=dry_run, progress=self._progress
            )
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start}). Nothing was imported."
            ) from None
        except imports.OrderImportError as exc:
            shown = exc.problems[:200]
            for problem in shown:
                self.stderr.write(f"{file}: {problem}")
            more = len(exc.problems) - len(shown)
            hint = " Re-run with --force to change orders that have returns." if any(
                p.field == "returns" for p in exc.problems
            ) else ""  # fmt: skip
            first = "; ".join(str(p) for p in exc.problems[:3])
            raise CommandError(
                f"{len(exc.problems)} problem(s){f' ({more} more not shown)' if more > 0 else ''}, first: {first}. "
                f"Nothing was imported.{hint}"
            ) from None
        verb = "Would import" if dry_run else "Imported"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {result.created} new, {result.updated} updated and {result.unchanged} unchanged orders "
            f"({result.lines_created} lines added, {result.lines_updated} changed, {result.lines_deleted} removed) "
            f"from {file}."
        ))  # fmt: skip
        for note in result.conflicts + result.deadline_moves + result.kept_lines:
            self.stdout.write(f"  {note}")
