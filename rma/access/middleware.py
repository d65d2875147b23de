"""Staff sessions: expire after inactivity, and pass the second factor before any workspace or admin page."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from rma.access.mfa import mfa_enrolled, mfa_required

_LAST_SEEN = "staff_last_seen"
_NO_DEVICE = "staff_mfa_none"
# The last-seen time is written at most once a minute: not a session write on every request.
_TOUCH_EVERY = 60


class StaffAccessMiddleware:
    """After django-otp's OTPMiddleware: a staff session idle for ``STAFF_SESSION_IDLE_SECONDS`` is ended; a
    signed-in user who has an authenticator, or whose role requires one, is sent to verify or enrol before
    any page of the workspace or the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def _open_paths(self) -> set[str]:
        names = ["agent:login", "agent:logout", "agent:mfa_verify", "agent:mfa_setup", "admin:login", "admin:logout"]
        return {reverse(name) for name in names}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        staff_area = request.path.startswith(("/agent/", "/admin/"))
        now = int(time.time())
        last_seen = request.session.get(_LAST_SEEN)
        if last_seen is not None and now - last_seen > settings.STAFF_SESSION_IDLE_SECONDS:
            logout(request)
            if staff_area:
                return redirect(f"{reverse('agent:login')}?{urlencode({'next': request.get_full_path()})}")
            return self.get_response(request)
        if last_seen is None or now - last_seen >= _TOUCH_EVERY:
            request.session[_LAST_SEEN] = now
            request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        if staff_area and request.path not in self._open_paths() and not user.is_verified():
            next_query = urlencode({"next": request.get_full_path()})
            if mfa_required(user=user):
                if mfa_enrolled(user=user):
                    return redirect(f"{reverse('agent:mfa_verify')}?{next_query}")
                return redirect(f"{reverse('agent:mfa_setup')}?{next_query}")
            # An agent who chose an authenticator verifies too. Looked up once per session: enrolling happens
            # in a verified session, so only another session of the same agent can miss it until sign-in.
            if request.session.get(_NO_DEVICE) != user.pk:
                if mfa_enrolled(user=user):
                    return redirect(f"{reverse('agent:mfa_verify')}?{next_query}")
                request.session[_NO_DEVICE] = user.pk
        return self.get_response(request)
