"""Fixtures shared by the whole suite."""

import os

import pytest
from django.core.cache import cache
from django.utils import translation

from rma.access import roles
from tests.policies.factories import RegionCountryFactory, RegionFactory, ReturnPolicyFactory
from tests.rma.factories import UserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids are reused between tests, cached values must not be."""
    cache.clear()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _test_logins_pass_the_second_factor(monkeypatch):
    """``client.force_login``/``client.login`` sign a user straight in, past the password form and its
    throttle: past the second factor too, with a confirmed authenticator, for roles that need one. The
    sign-in steps themselves are tested in tests/security/test_staff_accounts.py."""
    from django.http import HttpRequest
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rma.access.mfa import mfa_required

    original_login, original_internal = Client.login, Client._login

    def login(self, **credentials):
        credentials.setdefault("request", HttpRequest())  # django-axes needs the request
        return original_login(self, **credentials)

    def _login(self, user, backend=None):
        original_internal(self, user, backend)
        if mfa_required(user=user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="tests", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "login", login)
    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture
def eu_policy(db):
    region = RegionFactory(code="EU", name="European Union")
    for country in ("IT", "RO", "DE", "FR", "ES"):
        RegionCountryFactory(region=region, country=country)
    return ReturnPolicyFactory(region=region, window_days=30)


@pytest.fixture
def agent(db):
    return UserFactory(username="agent", role=roles.AGENT)


@pytest.fixture
def supervisor(db):
    return UserFactory(username="supervisor", role=roles.SUPERVISOR)


def pytest_sessionfinish(session, exitstatus):
    """With RP_FAIL_ON_SKIP=1 (the CI run on PostgreSQL and Redis) a skipped test fails the run."""
    if os.environ.get("RP_FAIL_ON_SKIP") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        reporter.write_line(f"RP_FAIL_ON_SKIP: {skipped} test(s) were skipped; every test must run here.", red=True)
        session.exitstatus = 1
