"""A policy admin (not a superuser, signed in with password and authenticator) changes the published policy and
writes a canned reply, only by clicking and typing in the visible pages: copy to a draft, edit, simulate, compare,
publish now, schedule the next one; a canned reply with its text in every language and a checked "Also do"."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from policies.models import ReturnPolicy
from rma.access import roles
from rma.messaging.models import CannedReply
from tests.browser.conftest import screenshot
from tests.rma.factories import OrderLineFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_authenticator(page, base_url, *, user, password="pw-for-tests"):
    """The real sign-in: the login form, then the authenticator's code; staff land on their role's start page."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.security.test_staff_accounts import code_for

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto(f"{base_url}/agent/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/agent/mfa/verify/**")
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Verify").click()


def open_version(page, policy: ReturnPolicy):
    page.get_by_role("link", name=str(policy)).first.click()


def test_a_policy_admin_changes_the_policy_and_writes_a_canned_reply_by_clicking(live_server, new_page, eu_policy):
    admin = UserFactory(username="pat", first_name="Pat", role=roles.POLICY_ADMIN)
    assert not admin.is_superuser
    for country in ("IT", "DE", "FR"):  # recent orders for the simulation
        OrderLineFactory(order__customer__country=country, order__ship_country=country)
    page = new_page()
    page.set_viewport_size({"width": 1400, "height": 1000})
    sign_in_with_authenticator(page, live_server.url, user=admin)
    # The workspace's front page takes a policy admin to the policies (not to a login page).
    page.wait_for_url("**/admin/policies/returnpolicy/")

    # 1. Copy the published version to a draft.
    page.get_by_role("link", name=str(eu_policy.region)).first.click()
    page.wait_for_url(f"**/admin/policies/returnpolicy/{eu_policy.pk}/change/")
    page.get_by_role("link", name="New draft from this version").click()
    expect(page.get_by_text("which stays in force until the draft is published")).to_be_visible()
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_text("is a new draft; edit it, then publish it.")).to_be_visible()
    draft = ReturnPolicy.objects.get(region=eu_policy.region, status="draft")
    page.wait_for_url(f"**/admin/policies/returnpolicy/{draft.pk}/change/")

    # 2. Edit the draft: a longer window, with a note.
    page.locator("#id_window_days").fill("45")
    page.locator("#id_change_note").fill("Longer window for the holidays")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    draft.refresh_from_db()
    assert draft.window_days == 45 and draft.status == "draft"

    # 3. Simulate it against recent claims.
    page.get_by_role("link", name="Simulate", exact=True).click()
    page.wait_for_url(f"**/{draft.pk}/simulate/")
    expect(page.get_by_text("recent claims").first).to_be_visible()
    screenshot(page, "policy-editor-simulate")

    # 4. Compare it with the published version.
    open_version(page, draft)
    page.get_by_role("link", name="Compare versions").click()
    row = page.locator("tr", has_text="return window (days)")
    expect(row).to_be_visible()
    assert "30" in row.inner_text() and "45" in row.inner_text()
    screenshot(page, "policy-editor-diff")

    # 5. Publish it now.
    open_version(page, draft)
    page.get_by_role("link", name="Publish", exact=True).click()
    page.get_by_label("Why this version").fill("Longer window for the holidays")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(f"{draft.region.code} v{draft.version} (Published) is published.")).to_be_visible()
    draft.refresh_from_db()
    eu_policy.refresh_from_db()
    assert draft.status == "published" and eu_policy.status == "retired" and draft.published_by == admin

    # 6. The next change, scheduled: a draft from the new version, effective in ten days.
    page.get_by_role("link", name="New draft from this version").click()
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_text("is a new draft; edit it, then publish it.")).to_be_visible()
    scheduled = ReturnPolicy.objects.get(region=eu_policy.region, status="draft")
    page.wait_for_url(f"**/admin/policies/returnpolicy/{scheduled.pk}/change/")
    in_ten_days = timezone.localdate() + datetime.timedelta(days=10)
    page.locator("#id_effective_from").fill(in_ten_days.isoformat())
    page.locator("#id_window_days").fill("60")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.get_by_role("link", name="Publish", exact=True).click()
    page.get_by_label("Why this version").fill("Sixty days from next week")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("is checked and will be published on")).to_be_visible()
    scheduled.refresh_from_db()
    assert scheduled.scheduled and scheduled.status == "draft" and scheduled.effective_from == in_ten_days
    assert ReturnPolicy.objects.get(region=eu_policy.region, status="published") == draft  # in force until then

    # 7. A canned reply, with its text in every language and an action from the list.
    page.get_by_role("link", name="Canned replies").first.click()
    page.get_by_role("link", name="Add canned reply").click()
    page.get_by_label("Name").fill("Ask for the receipt")
    page.get_by_label("Also do").select_option(label="ask the customer for information (the text is the question)")
    bodies = {
        code: f"[{code}] {{customer_name}}, please send the receipt for {{rma_number}}."
        for code, _ in settings.LANGUAGES
    }
    for index, (code, _name) in enumerate(settings.LANGUAGES):
        assert page.locator(f"#id_texts-{index}-language").input_value() == code
        page.locator(f"#id_texts-{index}-body").fill(bodies[code])
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    reply = CannedReply.objects.get(name="Ask for the receipt")
    assert reply.transition == "request_info"
    assert dict(reply.texts.values_list("language", "body")) == bodies
    screenshot(page, "policy-editor-canned-replies")
