"""The demo ships canned replies agents can use at once: each with a text in every language the shop offers."""

import re

import pytest
from django.conf import settings

from rma.messaging import services as messaging
from rma.messaging.demo import canned_replies_demo_load
from rma.messaging.models import CannedReply, CannedReplyText, Message
from tests.rma.workspace.test_agent_workspace import file_case

pytestmark = pytest.mark.django_db


def test_demo_replies_have_a_text_in_every_language_with_known_placeholders_only():
    replies = canned_replies_demo_load()
    assert len(replies) >= 3
    assert {reply.transition for reply in replies} >= {"", "request_info", "reject"}
    languages = {code for code, _name in settings.LANGUAGES}
    for reply in replies:
        texts = dict(reply.texts.values_list("language", "body"))
        assert set(texts) == languages, reply.name
        for language, body in texts.items():
            assert body.strip(), (reply.name, language)
            # Every brace is one of the placeholders the service fills.
            assert set(re.findall(r"\{(\w+)\}", body)) <= {"customer_name", "rma_number", "shop_name"}
            assert "{rma_number}" in body and "{customer_name}" in body
        # Each language has its own words, not the English copied.
        assert len(set(texts.values())) == len(languages)


def test_loading_twice_keeps_an_admins_edits(eu_policy):
    canned_replies_demo_load()
    edited = CannedReplyText.objects.filter(language="de").first()
    edited.body = "Geändert von der Policy-Admin für {rma_number} und {customer_name}."
    edited.save()
    count = CannedReplyText.objects.count()
    canned_replies_demo_load()
    assert CannedReplyText.objects.count() == count
    edited.refresh_from_db()
    assert edited.body.startswith("Geändert")


def test_an_agent_sends_a_demo_reply_in_the_customers_language(eu_policy, agent):
    canned_replies_demo_load()
    case = file_case(language="it", country="IT")
    reply = CannedReply.objects.get(name="Thanks, we are looking into it")
    messaging.canned_reply_apply(case=case, actor=agent, reply=reply)
    message = Message.objects.get(case=case, author=agent)
    assert message.body.startswith(f"Gentile {case.customer.name},") and case.rma_number in message.body
