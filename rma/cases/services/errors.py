"""The errors of the rma services; each message is translated and safe to show to the person acting."""


class CaseError(Exception):
    """Base error of the rma app."""


class CaseTransitionNotAllowed(CaseError):
    """The action is not possible in the case's current state."""


class CaseConflict(CaseError):
    """Someone else changed the case since it was loaded."""


class CasePermissionDenied(CaseError):
    """The person acting may not do this (role or limit)."""


class CaseInvalid(CaseError):
    """The request itself is wrong (quantity, amount, missing reason...).

    ``order_line_id`` and ``field`` say which item of a filing it is about (``field``: "resolution",
    "reason", "quantity", "photos", "problem" or "wish"), so the form can show it at that item.
    """

    def __init__(self, message: str = "", *, order_line_id: int | None = None, field: str = ""):
        super().__init__(message)
        self.order_line_id = order_line_id
        self.item_field = field
        self.field = field  # the agent workspace shows it next to the form field of this name


class CaseAmountInvalid(CaseInvalid):
    """An amount is refused (sign, decimals, currency, cap); ``field`` names the form field it belongs next to."""

    def __init__(self, message: str, *, field: str = "amount"):
        super().__init__(message)
        self.field = field


class CaseAboveLimit(CasePermissionDenied):
    """An amount above what this person's role may give (per case or per day): a supervisor may, or may approve."""

    def __init__(self, message: str, *, field: str = "amount"):
        super().__init__(message)
        self.field = field
