"""Why a document cannot be made: one exception type per problem, each saying what is wrong and where.

An error keeps its raw parameters (JSON values) and builds its message when it is turned into text, in
the language active at that moment: the same stored error reads in the agent's language on the case
page and in the customer's language in the "label delayed" message. ``as_dict()`` / ``from_dict()``
round-trip it through a JSON field.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ADDRESS_LABELS = {
    "sender": _("Customer's address"),
    "recipient": _("Return center's address"),
}
# The same words as the model fields they come from (rma.orders.models.Order, OrderLine).
FIELD_LABELS = {
    "name": _("name"),
    "company": pgettext_lazy("address", "company"),
    "street": _("street"),
    "postcode": _("postcode"),
    "city": _("city"),
    "region": pgettext_lazy("address", "region or state"),
    "country": _("country"),
    "phone": _("phone"),
    "description": _("product"),
    "hs_code": _("HS code"),
    "weight_grams": _("weight (g)"),
    "origin_country": _("country of origin"),
    "currency": _("currency"),
}


def characters_display(chars: list[str] | str) -> str:
    """``ไ (U+0E44), 🙂 (U+1F642)``: the code point tells the agent what to fix when the glyph itself is missing."""
    return ", ".join(f"{c} (U+{ord(c):04X})" for c in chars)


class DocumentError(Exception):
    """Base error of the documents: the message is translated and safe to show to agents and customers."""

    code = "document_error"
    message = _("The shipping documents cannot be made.")
    _registry: dict[str, type["DocumentError"]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        DocumentError._registry[cls.code] = cls

    def __init__(self, *, field: str = "", **params):
        super().__init__(field, params)
        self.field = field  # where: "sender.street", "lines[2].hs_code"
        self.params = params

    def template(self):
        return self.message

    def display_params(self) -> dict:
        shown = dict(self.params)
        if "address" in shown:
            shown["address"] = ADDRESS_LABELS.get(shown["address"], shown["address"])
        if "field_name" in shown:
            shown["field_name"] = FIELD_LABELS.get(shown["field_name"], shown["field_name"])
        if "characters" in shown:
            shown["characters"] = characters_display(shown["characters"])
        return shown

    def __str__(self) -> str:
        return str(self.template()) % self.display_params()

    def __reduce__(self):
        # Keyword-only __init__: rebuild from the dict so the error survives pickling (e.g. across processes).
        return (DocumentError.from_dict, (self.as_dict(),))

    def as_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: dict) -> "DocumentError":
        error_class = DocumentError._registry.get(data.get("code"), DocumentError)
        return error_class(field=data.get("field", ""), **data.get("params", {}))


class NoItems(DocumentError):
    code = "no_items"
    message = _("The return has no items to put on the shipping documents.")


class IncompleteAddress(DocumentError):
    code = "incomplete_address"
    message = _("%(address)s: the field “%(field_name)s” is empty.")


class UnprintableAddress(DocumentError):
    code = "unprintable_address"
    message = _("%(address)s, field “%(field_name)s”: the label fonts cannot show these characters: %(characters)s.")


class UnprintableItem(DocumentError):
    code = "unprintable_item"
    message = _("Item line %(line)s: the label fonts cannot show these characters of “%(item)s”: %(characters)s.")


class UnknownCountry(DocumentError):
    code = "unknown_country"
    message = _("%(address)s: “%(country)s” is not a known ISO country code.")
    line_message = _(
        "Item line %(line)s (%(item)s): the country of origin “%(country)s” is not a known ISO country code."
    )

    def template(self):
        return self.line_message if "line" in self.params else self.message


class MissingCustomsData(DocumentError):
    code = "missing_customs_data"
    message = _("Item line %(line)s (%(item)s): the customs declaration needs the “%(field_name)s”, and it is missing.")


class MalformedHsCode(DocumentError):
    code = "malformed_hs_code"
    message = _("Item line %(line)s (%(item)s): the HS code “%(hs_code)s” is not valid; it must have 6 to 10 digits.")


class UnknownCurrency(DocumentError):
    code = "unknown_currency"
    message = _("Item line %(line)s (%(item)s): “%(currency)s” is not a known ISO currency code.")


class DropOffCodeInvalid(DocumentError):
    """A scanned drop-off code that this shop did not sign, or that was altered."""

    code = "dropoff_code_invalid"
    message = _("This code is not a valid drop-off code of this shop.")


class DropOffCodeExpired(DropOffCodeInvalid):
    code = "dropoff_code_expired"
    message = _("This drop-off code has expired; the customer can ask for a new one.")


def problems_describe(problems: list[dict]) -> str:
    """Stored problems (``as_dict()``) as one text in the active language, for the "label delayed" message."""
    return " ".join(str(DocumentError.from_dict(p)) for p in problems)
