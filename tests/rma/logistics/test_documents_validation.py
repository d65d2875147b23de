"""Validation before rendering: one exception type per problem, each saying what is wrong and where."""

import pickle
from dataclasses import replace

import pytest
from django.utils import translation

from rma.logistics import documents
from rma.logistics.documents import DocumentKind, fonts
from rma.logistics.documents.errors import DocumentError
from tests.rma.documents_data import MILAN, ROME, SHANGHAI, line, shipment

LABEL, CN23, INVOICE = DocumentKind.LABEL, DocumentKind.CUSTOMS_DECLARATION, DocumentKind.COMMERCIAL_INVOICE


def only_problem(data, kind):
    problems = documents.document_problems(data, kind)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


@pytest.mark.parametrize(
    "text",
    [
        "Via Roma 1",
        "Größe Straße",
        "Ελλάδα",
        "Москва",
        "南京东路100号",
        "東京都港区",
        "서울특별시",
        "شارع الملك فهد",
        "עברית",
    ],
)
def test_the_document_fonts_show_latin_greek_cyrillic_cjk_arabic_and_hebrew(text):
    assert fonts.unprintable_characters(text) == []


def test_characters_outside_the_document_fonts_are_found_once_each():
    assert fonts.unprintable_characters("ถนน 🙂 ถนน") == ["ถ", "น", "🙂"]
    assert fonts.unprintable_characters("a\u200db") == []  # a zero-width joiner draws nothing


def test_fontconfig_resolves_the_css_families_to_their_files():
    faces = {(face.family, face.weight): face for face in fonts.document_font_faces()}
    assert faces[("Noto Sans CJK SC", "regular")].path.endswith(".ttc")
    assert faces[("Noto Sans Arabic", "bold")].path.endswith("NotoSansArabic-Bold.ttf")
    assert fonts.font_face_resolve("No Such Family 123") is None  # not silently replaced by a fallback


def test_unprintable_address_says_which_address_which_field_and_which_characters():
    data = shipment(sender=replace(ROME, street="ถนนสุขุมวิท 1"))
    error = only_problem(data, LABEL)
    assert isinstance(error, documents.UnprintableAddress)
    assert error.field == "sender.street"
    assert str(error) == (
        "Customer's address, field “street”: the label fonts cannot show these characters: "
        "ถ (U+0E16), น (U+0E19), ส (U+0E2A), ุ (U+0E38), ข (U+0E02), ม (U+0E21), ว (U+0E27), ิ (U+0E34), ท (U+0E17)."
    )
    with pytest.raises(documents.UnprintableAddress):
        documents.render_label(data)


def test_the_message_is_rendered_in_the_language_active_when_it_is_shown():
    error = only_problem(shipment(recipient=replace(MILAN, city="🙂")), LABEL)
    assert "field “city”" in str(error)
    with translation.override("it"):
        assert "paese" not in str(error) and "città" in str(error)  # the field name from the Italian catalogue


def test_unprintable_item_names_the_line():
    error = only_problem(shipment(lines=[line(1), line(2, description="Mug 🙂")]), LABEL)
    assert isinstance(error, documents.UnprintableItem)
    assert error.field == "lines[2].description"
    assert str(error).startswith("Item line 2: the label fonts cannot show these characters of “Mug 🙂”: 🙂 (U+1F642)")


def test_incomplete_address():
    error = only_problem(shipment(sender=replace(ROME, city=" ")), LABEL)
    assert isinstance(error, documents.IncompleteAddress)
    assert (error.field, str(error)) == ("sender.city", "Customer's address: the field “city” is empty.")


def test_unknown_country_of_an_address():
    error = only_problem(shipment(recipient=replace(MILAN, country="XX")), LABEL)
    assert isinstance(error, documents.UnknownCountry)
    assert (error.field, str(error)) == (
        "recipient.country",
        "Return center's address: “XX” is not a known ISO country code.",
    )


@pytest.mark.parametrize("code", ["US-CA", "it", "GB"])
def test_countries_and_subdivisions_the_project_stores_are_known(code):
    assert documents.document_problems(shipment(sender=replace(ROME, country=code)), LABEL) == []


@pytest.mark.parametrize("code", ["EU", "ZZ", "QO", "ITA", "U"])
def test_regions_and_reserved_codes_are_not_countries(code):
    assert isinstance(only_problem(shipment(sender=replace(ROME, country=code)), LABEL), documents.UnknownCountry)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"hs_code": ""},
            "lines[1].hs_code",
            "Item line 1 (Giacca invernale 1): the customs declaration needs the “HS code”, and it is missing.",
        ),
        (
            {"weight_grams": None},
            "lines[1].weight_grams",
            "Item line 1 (Giacca invernale 1): the customs declaration needs the “weight (g)”, and it is missing.",
        ),
        (
            {"origin_country": ""},
            "lines[1].origin_country",
            "Item line 1 (Giacca invernale 1): the customs declaration needs the “country of origin”, "
            "and it is missing.",
        ),
    ],
)
def test_missing_customs_data_names_the_line_and_the_field(changes, field, message):
    data = shipment(sender=SHANGHAI, lines=[line(1, **changes)])
    for kind in (CN23, INVOICE):
        error = only_problem(data, kind)
        assert isinstance(error, documents.MissingCustomsData)
        assert (error.field, str(error)) == (field, message)
    assert documents.document_problems(data, LABEL) == []  # the label itself does not need customs data


def test_malformed_hs_code():
    error = only_problem(shipment(sender=SHANGHAI, lines=[line(1, hs_code="62-01")]), CN23)
    assert isinstance(error, documents.MalformedHsCode)
    assert "“62-01” is not valid" in str(error) and error.field == "lines[1].hs_code"


def test_unknown_country_of_origin():
    error = only_problem(shipment(sender=SHANGHAI, lines=[line(1, origin_country="QQ")]), CN23)
    assert isinstance(error, documents.UnknownCountry)
    assert str(error) == (
        "Item line 1 (Giacca invernale 1): the country of origin “QQ” is not a known ISO country code."
    )


def test_unknown_currency():
    error = only_problem(shipment(sender=SHANGHAI, lines=[line(1, currency="EUX")]), INVOICE)
    assert isinstance(error, documents.UnknownCurrency)
    assert error.field == "lines[1].currency" and "“EUX”" in str(error)


def test_no_items():
    error = only_problem(shipment(lines=[]), LABEL)
    assert isinstance(error, documents.NoItems)
    with pytest.raises(documents.NoItems):
        documents.render_packing_slip(shipment(lines=[]))


def test_every_error_is_a_document_error_with_its_own_code():
    classes = [
        documents.NoItems,
        documents.IncompleteAddress,
        documents.UnprintableAddress,
        documents.UnprintableItem,
        documents.UnknownCountry,
        documents.MissingCustomsData,
        documents.MalformedHsCode,
        documents.UnknownCurrency,
        documents.DropOffCodeInvalid,
        documents.DropOffCodeExpired,
    ]
    assert all(issubclass(cls, DocumentError) for cls in classes)
    assert len({cls.code for cls in classes}) == len(classes)


def test_errors_round_trip_through_json_and_pickle():
    error = only_problem(shipment(sender=SHANGHAI, lines=[line(1, hs_code="")]), CN23)
    for copy in (DocumentError.from_dict(error.as_dict()), pickle.loads(pickle.dumps(error))):
        assert type(copy) is documents.MissingCustomsData
        assert (copy.field, str(copy)) == (error.field, str(error))


def test_domestic_and_eu_parcels_need_no_customs_documents():
    assert documents.documents_required(shipment()) == (DocumentKind.LABEL, DocumentKind.PACKING_SLIP)
    assert not shipment(sender=replace(ROME, country="DE")).is_cross_border  # one customs union
    assert shipment(sender=replace(ROME, country="CH")).is_cross_border
    assert shipment(sender=replace(ROME, country="US-CA")).is_cross_border


def test_shipment_problems_gathers_every_document_problem_once():
    data = shipment(sender=replace(SHANGHAI, street="ถนน"), lines=[line(1, hs_code="", weight_grams=0)])
    assert [(p.code, p.field) for p in documents.shipment_problems(data)] == [
        ("unprintable_address", "sender.street"),
        ("missing_customs_data", "lines[1].hs_code"),
        ("missing_customs_data", "lines[1].weight_grams"),
    ]
