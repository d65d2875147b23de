"""Where signed-in staff belong: the queue for those who work cases, their role's own pages for the others."""

from functools import wraps

from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

QUEUE_PERMISSION = "rma.view_returncase"
# A role without the queue starts on the first of these it may use (a policy admin: the policies).
HOMES = [
    ("policies.view_returnpolicy", "admin:policies_returnpolicy_changelist"),
    ("analytics.view_dashboard", "agent:analytics:dashboard"),
    ("rma.view_cannedreply", "admin:rma_cannedreply_changelist"),
]


def staff_home_url(user) -> str | None:
    """The page a signed-in user starts on, or None when no workspace or policy page is theirs."""
    if user.has_perm(QUEUE_PERMISSION):
        return reverse("agent:queue")
    for permission, url_name in HOMES:
        if user.has_perm(permission):
            return reverse(url_name)
    return None


def queue_or_home(view):
    """For the queue (the workspace's front page), under ``login_required``: signed-in staff whose role has no
    queue go to their own start page, or get the 403 page, rather than a login page they are already past."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.has_perm(QUEUE_PERMISSION):
            return view(request, *args, **kwargs)
        home = staff_home_url(user)
        if home is None:
            raise PermissionDenied
        return redirect(home)

    return wrapped


class StaffLoginView(auth_views.LoginView):
    """The sign-in page. A signed-in user sent here with ``next`` (``permission_required`` does that when a
    page is not part of their role) gets the 403 page instead of a login form they are already past."""

    template_name = "rma/agent/login.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.GET.get(self.redirect_field_name):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)
