"""manage.py import_orders FILE: load the shop's orders from CSV or JSON Lines."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rma.orders import imports


class Command(BaseCommand):
    help = "Import orders from a CSV or JSON Lines file (see docs/import-orders.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["csv", "jsonl"], help="default: from the file's extension")

    def handle(self, *args, file: Path, format: str | None, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        fmt = format or ("csv" if file.suffix.lower() == ".csv" else "jsonl")
        try:
            result = imports.orders_import(imports.parse(file.read_text(encoding="utf-8"), fmt))
        except imports.OrderImportError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was imported.") from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported {result['created']} new and {result['updated']} updated orders from {file}.")
        )
