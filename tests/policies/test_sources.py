"""Every encoded value of the law baselines has a source with a title, a URL and a date read (issue #19 item 6)."""

import datetime

import pytest

from policies.law import ENCODED, jurisdiction_for
from policies.sources import (
    STATUSES,
    UNCONFIRMED,
    all_references,
    all_sources,
    citations,
    reference_parts,
    source_for,
)

JURISDICTIONS = [*ENCODED, "US-TX"]


@pytest.mark.parametrize("code", JURISDICTIONS)
def test_every_value_cites_a_reference_with_a_source(code):
    law = jurisdiction_for(code)
    for field, reference in citations(law):
        assert reference, f"{code}.{field} is set but cites nothing"
        for part in reference_parts(reference):
            assert source_for(part) is not None, f"{code}.{field}: no source for {part!r}"


@pytest.mark.parametrize("code", JURISDICTIONS)
def test_every_article_cited_anywhere_has_a_source(code):
    for field, reference in all_references(jurisdiction_for(code)):
        for part in reference_parts(reference):
            assert source_for(part) is not None, f"{code}.{field}: no source for {part!r}"


def test_a_value_without_a_reference_fails():
    law = jurisdiction_for("AT")
    from dataclasses import replace

    broken = replace(law, limitation_reference="")
    assert ("limitation_months", "") in citations(broken)


def test_a_citation_outside_the_source_list_has_no_source():
    assert source_for("Imaginary Consumer Act § 1") is None
    assert source_for("ZZP (HR) (Zakon o zaštiti potrošača)").title.endswith("(Croatia)")  # longest prefix wins


@pytest.mark.parametrize("source", all_sources(), ids=lambda s: s.cites)
def test_each_source_has_a_title_a_url_and_a_date_read_or_says_unconfirmed(source):
    assert source.title and source.url.startswith("https://")
    assert source.status in STATUSES
    if source.status == UNCONFIRMED:
        assert source.read_on is None and source.note
    else:
        assert isinstance(source.read_on, datetime.date)


def test_every_source_is_cited_by_some_baseline():
    cited = {
        source_for(part).cites
        for code in JURISDICTIONS
        for _field, reference in all_references(jurisdiction_for(code))
        for part in reference_parts(reference)
    }
    assert {s.cites for s in all_sources()} - cited == set()
