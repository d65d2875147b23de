"""Project middleware: show times in the signed-in customer's time zone."""

import zoneinfo

from django.utils import timezone


class CustomerTimezoneMiddleware:
    """Activate the portal customer's time zone (set on the session at sign-in) for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.session.get("portal_time_zone") if hasattr(request, "session") else None
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
