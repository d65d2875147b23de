"""manage.py analytics_refresh: bring the analytics summary tables up to date now (--full rebuilds them)."""

import json

from django.core.management.base import BaseCommand

from rma.analytics.services import analytics_refresh


class Command(BaseCommand):
    help = "Update the analytics summary tables from what changed since the last refresh (--full: rebuild)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="rebuild every summary table from the cases")

    def handle(self, *args, full, **options):
        self.stdout.write(json.dumps(analytics_refresh(full=full)))
