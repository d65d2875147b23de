"""manage.py carrier_simulate TRACKING STATUS: the local carrier scans a parcel and calls the signed webhook."""

import json
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rma.cases import services
from rma.integrations import local as adapters
from rma.logistics import tracking


class Command(BaseCommand):
    help = "Send a signed tracking event (picked_up, in_transit, delivered) for a parcel to the webhook."

    def add_arguments(self, parser):
        parser.add_argument("tracking_number")
        parser.add_argument("status", choices=sorted(services.tracking.STATUS_TRANSITIONS))
        parser.add_argument("--url", default=f"{settings.SITE_URL}/webhooks/tracking/")

    def handle(self, *args, tracking_number, status, url, **options):
        body = json.dumps(adapters.local_tracking_event(tracking_number=tracking_number, status=status)).encode()
        timestamp = str(int(time.time()))
        signature = tracking.webhook_signature(secret=settings.CARRIER_WEBHOOK_SECRET, timestamp=timestamp, body=body)
        request = urllib.request.Request(  # noqa: S310 - the shop's own address
            url, data=body, method="POST",
            headers={"Content-Type": "application/json", "X-Webhook-Timestamp": timestamp,
                     "X-Webhook-Signature": signature},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                self.stdout.write(response.read().decode())
        except urllib.error.HTTPError as exc:
            raise CommandError(f"{url} answered {exc.code}: {exc.read().decode()}") from None
        except urllib.error.URLError as exc:
            raise CommandError(f"{url} cannot be reached ({exc.reason}); is the app running?") from None
