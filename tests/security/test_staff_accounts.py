"""Staff sign-in: lockout by user and client (django-axes), TOTP for the roles that need it (django-otp),
recovery codes, the verify step before the workspace and the admin, and the inactivity timeout."""

import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from rma.access import roles
from tests.rma.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests"  # noqa: S105 (UserFactory's)


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """The device's current TOTP code, computed from its key as an authenticator app would."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + offset)
    return f"{value:0{device.digits}d}"


def sign_in(client, username, password=PASSWORD, next_url="/agent/"):
    return client.post(f"/agent/login/?next={next_url}", {"username": username, "password": password})


def password_only(ip: str = "10.0.0.1") -> Client:
    """A client that signs in through the real forms (not force_login, which tests/conftest.py lets past)."""
    return Client(REMOTE_ADDR=ip)


def test_a_staff_account_is_locked_after_repeated_failures_by_user_and_client(settings):
    agent = UserFactory(username="lockme", role=roles.AGENT)
    attacker = password_only("10.0.0.66")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(attacker, agent.username, "wrong").status_code == 200
    locked = sign_in(attacker, agent.username, "wrong")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.content.decode() and "30 minutes" in locked.content.decode()
    # Even the right password is refused from that client now, in the workspace and in the admin.
    assert sign_in(attacker, agent.username).status_code == 429
    response = attacker.post("/admin/login/", {"username": agent.username, "password": PASSWORD})
    assert response.status_code == 429
    # The lock is keyed by user and client: the agent at their own desk still signs in.
    assert sign_in(password_only("10.0.0.2"), agent.username).status_code == 302


def test_a_supervisor_with_an_authenticator_needs_its_code_for_the_workspace_and_the_admin():
    supervisor = UserFactory(username="sup", role=roles.SUPERVISOR, is_superuser=False)
    device = TOTPDevice.objects.create(user=supervisor, name="authenticator", confirmed=True)
    client = password_only()
    assert sign_in(client, "sup").status_code == 302
    for path in ("/agent/", "/agent/supervisor/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/agent/mfa/verify/"), path
    wrong = client.post("/agent/mfa/verify/?next=/agent/supervisor/", {"code": "000000"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None  # skip the throttle's wait
    device.save()
    right = client.post("/agent/mfa/verify/?next=/agent/supervisor/", {"code": code_for(device)})
    assert right.status_code == 302 and right["Location"] == "/agent/supervisor/"
    assert client.get("/agent/supervisor/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_password_alone_cannot_replace_an_enrolled_authenticator():
    supervisor = UserFactory(username="sup2", role=roles.SUPERVISOR)
    TOTPDevice.objects.create(user=supervisor, name="authenticator", confirmed=True)
    client = password_only()
    sign_in(client, "sup2")
    response = client.get("/agent/mfa/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/agent/mfa/verify/")
    assert client.post("/agent/mfa/setup/", {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=supervisor).count() == 1


def test_a_superuser_without_an_authenticator_must_enrol_and_gets_recovery_codes():
    admin = UserFactory(username="root", is_superuser=True)
    client = password_only()
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/agent/mfa/setup/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()  # the QR code
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    done = client.post("/agent/mfa/setup/?next=/admin/", {"code": code_for(device)})
    assert done.status_code == 200 and "Your recovery codes" in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    codes = [t.token for t in StaticDevice.objects.get(user=admin).token_set.all()]
    assert len(codes) == 10 and all(code in done.content.decode() for code in codes)
    assert client.get("/admin/").status_code == 200

    # Next sign-in, phone lost: a recovery code works, once.
    again = password_only("10.0.0.3")
    again.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert again.get("/admin/")["Location"].startswith("/agent/mfa/verify/")
    assert again.post("/agent/mfa/verify/", {"code": codes[0]}).status_code == 302
    assert again.get("/admin/").status_code == 200
    assert not StaticDevice.objects.get(user=admin).token_set.filter(token=codes[0]).exists()


def test_an_agent_may_work_without_an_authenticator_and_may_add_one():
    UserFactory(username="ag", role=roles.AGENT)
    client = password_only()
    sign_in(client, "ag")
    assert client.get("/agent/").status_code == 200
    assert client.get("/agent/mfa/setup/").status_code == 200


def test_a_policy_admin_must_enrol_before_the_admin():
    UserFactory(username="pa", role=roles.POLICY_ADMIN)
    client = password_only()
    client.post("/admin/login/", {"username": "pa", "password": PASSWORD})
    assert client.get("/admin/")["Location"].startswith("/agent/mfa/setup/")


def test_a_staff_session_ends_after_the_idle_time(settings):
    UserFactory(username="idle", role=roles.AGENT)
    client = password_only()
    sign_in(client, "idle")
    assert client.get("/agent/").status_code == 200
    session = client.session
    session["staff_last_seen"] = int(time.time()) - settings.STAFF_SESSION_IDLE_SECONDS - 1
    session.save()
    response = client.get("/agent/")
    assert response.status_code == 302 and response["Location"].startswith("/agent/login/")
    assert client.get("/agent/")["Location"].startswith("/agent/login/")  # signed out, not only redirected


def test_the_idle_time_defaults_to_eight_hours_and_password_validators_are_on(settings):
    assert settings.STAFF_SESSION_IDLE_SECONDS == 8 * 60 * 60
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator", "UserAttributeSimilarityValidator"} <= names
