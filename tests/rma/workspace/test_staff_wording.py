"""The workspace speaks to staff: a case's status is named for the agent ("waiting for the customer's answer"),
not as the customer reads it ("waiting for your answer"), while the customer's page keeps the customer's words."""

import pytest

from rma.cases.models import CaseStatus
from tests.rma.workspace.test_agent_queue import make_case

pytestmark = pytest.mark.django_db

CUSTOMER_WORDS = ["Waiting for your answer", "Waiting for your information"]


@pytest.mark.parametrize(
    ("status", "staff_words"),
    [
        (CaseStatus.AWAITING_CUSTOMER, "Waiting for the customer&#x27;s answer"),
        (CaseStatus.NEEDS_INFO, "Waiting for the customer&#x27;s information"),
    ],
)
def test_queue_filters_and_case_page_name_the_status_for_staff(client, agent, status, staff_words):
    case = make_case(status=status)
    client.force_login(agent)
    for url in ("/agent/", f"/agent/cases/{case.rma_number}/"):
        page = client.get(url).content.decode()
        assert staff_words in page, url
        assert not any(words in page for words in CUSTOMER_WORDS), url


def test_the_customer_still_reads_their_own_words():
    from rma.cases import presenters

    assert str(CaseStatus.AWAITING_CUSTOMER.label) == "Waiting for your answer"
    assert presenters.status_label_for_staff(CaseStatus.AWAITING_CUSTOMER) == "Waiting for the customer's answer"
    assert presenters.status_label_for_staff(CaseStatus.REFUNDED) == "Refunded"
    assert dict(presenters.status_choices_for_staff()).keys() == dict(CaseStatus.choices).keys()


def test_the_timeline_names_a_status_for_staff_and_for_the_customer_in_their_words(client, agent, eu_policy):
    from rma.cases import services
    from tests.rma.workspace.test_agent_workspace import file_case

    eu_policy.auto_approve = False
    eu_policy.save()
    case = file_case(language="en", country="IT")
    services.case_request_info(case=case, actor=agent, question="Which size did you order?")
    client.force_login(agent)
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert "Status: Waiting for the customer&#x27;s information" in page
    assert "Waiting for your information" not in page


def test_a_moved_refund_date_reads_for_staff_on_the_case_page(client, agent):
    from rma.cases import events

    case = make_case(status="label_issued")
    row = events.publish(events.RefundDeadlineMoved(case=case, previous="2026-12-01"))
    assert "your parcel" in row.headline and "your" not in row.staff_headline
    client.force_login(agent)
    page = client.get(f"/agent/cases/{case.rma_number}/").content.decode()
    assert "the refund is due as soon as the parcel arrives" in page and "your parcel" not in page
