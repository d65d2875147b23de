"""The staff second factor: enrol an authenticator (QR code, recovery codes) and verify a code at sign-in."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rma.access import mfa


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/agent/"


@login_required
def mfa_setup(request):
    """Show the QR code of a new authenticator; a correct code from it turns it on and shows recovery codes."""
    if mfa.mfa_enrolled(user=request.user) and not request.user.is_verified():
        # Replacing an authenticator takes the current one: a password alone must not swap in the thief's.
        return redirect(f"{reverse('agent:mfa_verify')}?{urlencode({'next': request.get_full_path()})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.mfa_enrolment_confirm(actor=request.user, request=request, token=form.cleaned_data["code"])
        if codes is not None:
            return render(request, "rma/agent/mfa_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("That code is not right. Check the time on your phone and enter the newest code."))
    enrolment = mfa.mfa_enrolment_start(actor=request.user)
    context = {
        "form": form,
        "enrolment": enrolment,
        "required": mfa.mfa_required(user=request.user),
        "replacing": mfa.mfa_enrolled(user=request.user),
        "next": _next(request),
    }
    return render(request, "rma/agent/mfa_setup.html", context)


@login_required
def mfa_verify(request):
    """The second step of a staff sign-in: a code from the authenticator app, or a recovery code."""
    if request.user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.mfa_verify(request=request, token=form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error(
            "code", _("That code is not right, or it was tried too soon after a wrong one. Please wait a moment.")
        )
    return render(request, "rma/agent/mfa_verify.html", {"form": form, "next": _next(request)})


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (``AXES_LOCKOUT_CALLABLE``): a translated page with HTTP 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "rma/agent/locked_out.html", {"minutes": minutes}, status=429)
