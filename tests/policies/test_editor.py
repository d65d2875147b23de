"""The policy editor for a policy admin who is not a superuser: copying a published version through a link and a
confirmation page (no form nested in the admin's change form), and the canned replies with a text per language."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from policies.models import ReturnPolicy
from rma.access import roles
from rma.messaging.models import CannedReply, CannedReplyText
from tests.rma.factories import UserFactory

pytestmark = pytest.mark.django_db


class _FormNesting(HTMLParser):
    """The deepest nesting of <form> elements in a page (a browser drops any form inside another)."""

    def __init__(self):
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


def deepest_form_nesting(html: str) -> int:
    parser = _FormNesting()
    parser.feed(html)
    return parser.deepest


@pytest.fixture
def policy_admin(client):
    user = UserFactory(username="pat", is_staff=True, role=roles.POLICY_ADMIN)
    assert not user.is_superuser
    client.force_login(user)
    return user


def test_the_copy_control_of_a_published_version_is_a_link_to_a_confirmation_page(client, policy_admin, eu_policy):
    page = client.get(reverse("admin:policies_returnpolicy_change", args=[eu_policy.pk])).content.decode()
    copy_url = reverse("admin:policies_returnpolicy_copy", args=[eu_policy.pk])
    assert deepest_form_nesting(page) == 1
    assert f'href="{copy_url}"' in page and "New draft from this version" in page

    confirm = client.get(copy_url)
    assert confirm.status_code == 200 and deepest_form_nesting(confirm.content.decode()) == 1
    assert "Create the draft" in confirm.content.decode()
    assert not ReturnPolicy.objects.filter(status="draft").exists()  # looking is not copying

    response = client.post(copy_url)
    draft = ReturnPolicy.objects.get(region=eu_policy.region, status="draft")
    assert response.status_code == 302
    assert response.url == reverse("admin:policies_returnpolicy_change", args=[draft.pk])
    assert draft.window_days == eu_policy.window_days and draft.version == eu_policy.version + 1


def test_a_draft_offers_no_copy_and_someone_without_the_add_permission_cannot_copy(client, eu_policy):
    agent = UserFactory(username="viewer", is_staff=True, role=roles.AGENT)
    agent.user_permissions.add(*roles_permissions("policies.view_returnpolicy"))
    client.force_login(agent)
    page = client.get(reverse("admin:policies_returnpolicy_change", args=[eu_policy.pk])).content.decode()
    assert "New draft from this version" not in page
    assert client.get(reverse("admin:policies_returnpolicy_copy", args=[eu_policy.pk])).status_code == 403
    assert client.post(reverse("admin:policies_returnpolicy_copy", args=[eu_policy.pk])).status_code == 403


def roles_permissions(*names):
    from django.contrib.auth.models import Permission

    return [
        Permission.objects.get(content_type__app_label=name.split(".")[0], codename=name.split(".")[1])
        for name in names
    ]


def test_policy_admins_may_write_canned_reply_texts():
    roles.roles_ensure()
    user = UserFactory(username="pat2", is_staff=True, role=roles.POLICY_ADMIN)
    for action in ("view", "add", "change", "delete"):
        assert user.has_perm(f"rma.{action}_cannedreplytext")


def _canned_form(name, texts: dict, transition="", **extra):
    data = {
        "name": name,
        "transition": transition,
        "active": "on",
        "texts-TOTAL_FORMS": len(texts),
        "texts-INITIAL_FORMS": 0,
        "texts-MIN_NUM_FORMS": 0,
        "texts-MAX_NUM_FORMS": 1000,
    }
    for index, (language, body) in enumerate(texts.items()):
        data[f"texts-{index}-language"] = language
        data[f"texts-{index}-body"] = body
    return {**data, **extra}


def test_a_policy_admin_adds_a_canned_reply_with_a_text_in_every_language(client, policy_admin):
    add_url = reverse("admin:rma_cannedreply_add")
    page = client.get(add_url).content.decode()
    # One empty text per language offered at once, each with its language chosen.
    assert page.count(f'name="texts-TOTAL_FORMS" value="{len(settings.LANGUAGES)}"') == 1
    for index, (code, _name) in enumerate(settings.LANGUAGES):
        assert f'<option value="{code}" selected>' in page.split(f'name="texts-{index}-language"')[1][:2000]

    texts = {code: f"Thanks {{customer_name}} ({code})" for code, _name in settings.LANGUAGES}
    response = client.post(add_url, _canned_form("Thanks", texts))
    assert response.status_code == 302, response.content.decode()[:3000]
    reply = CannedReply.objects.get(name="Thanks")
    assert dict(reply.texts.values_list("language", "body")) == texts


def test_a_canned_reply_needs_a_text_in_the_default_language(client, policy_admin):
    response = client.post(reverse("admin:rma_cannedreply_add"), _canned_form("Only Italian", {"it": "Grazie"}))
    assert response.status_code == 200
    assert "needs a text in English" in response.content.decode()
    assert not CannedReply.objects.exists()


@pytest.mark.parametrize("transition", ["close", "refund", "request_info; drop table"])
def test_also_do_accepts_only_the_defined_actions(client, policy_admin, transition):
    response = client.post(
        reverse("admin:rma_cannedreply_add"), _canned_form("Odd", {"en": "Hello"}, transition=transition)
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not CannedReply.objects.exists()


def test_also_do_offers_each_action_a_canned_reply_can_apply(client, policy_admin):
    from rma.messaging.services import MACRO_TRANSITIONS

    assert set(MACRO_TRANSITIONS) == {value for value in CannedReply.Transition.values if value}
    page = client.get(reverse("admin:rma_cannedreply_add")).content.decode()
    for value in MACRO_TRANSITIONS:
        assert f'<option value="{value}"' in page
    response = client.post(
        reverse("admin:rma_cannedreply_add"), _canned_form("Photos", {"en": "Photos please"}, "request_info")
    )
    assert response.status_code == 302
    assert CannedReply.objects.get(name="Photos").transition == "request_info"


def test_the_database_refuses_an_unknown_action():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CannedReply.objects.create(name="Bad", transition="close")
    assert CannedReplyText.objects.count() == 0
