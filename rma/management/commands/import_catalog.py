"""manage.py import_catalog FILE: load the shop's products and variants from CSV or JSON Lines."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rma.orders import catalog


class Command(BaseCommand):
    help = "Import products and variants from a CSV or JSON Lines file (see docs/catalog.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["csv", "jsonl"], help="default: from the file's extension")

    def handle(self, *args, file: Path, format: str | None, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        fmt = format or ("csv" if file.suffix.lower() == ".csv" else "jsonl")
        try:
            text = file.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file}: not UTF-8 text (byte {exc.start}). Nothing was imported.") from None
        try:
            result = catalog.catalog_import(catalog.catalog_parse(text, fmt))
        except catalog.CatalogImportError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was imported.") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result['created']} new and {result['updated']} updated variants of "
                f"{result['products']} products from {file}; {result['lines_linked']} order lines linked."
            )
        )
