"""Project middleware: the signed-in customer's language and time zone."""

import zoneinfo

from django.conf import settings
from django.http import HttpResponseRedirect
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


class CustomerLanguageMiddleware:
    """The portal's root picks a language from the URL first, then the signed-in customer's saved
    preference, then the browser (Django's LocaleMiddleware, which runs after this one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and hasattr(request, "session"):
            customer_id = request.session.get("portal_customer_id")
            if customer_id:
                from rma.cases.selectors import customer_get

                customer = customer_get(customer_id=customer_id)
                languages = {code for code, _name in settings.LANGUAGES}
                if customer is not None and customer.language in languages:
                    return HttpResponseRedirect(f"/{customer.language}/")
        return self.get_response(request)
