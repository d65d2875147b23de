"""The privacy app's errors, under one base; their text is translated and shown to the person who asked."""


class PrivacyError(Exception):
    """Base of every refusal in rma.privacy."""


class ErasureRefused(PrivacyError):
    """The customer cannot be erased now (an open case, a refund being paid, already erased, no reason)."""


class ExportRefused(PrivacyError):
    """An export cannot be started (the customer is erased, or the actor may not start one)."""


class ExportBusy(PrivacyError):
    """Another run is building or emailing this export now: try again when its lease has run out."""

    def __init__(self, seconds: float):
        super().__init__(f"being built; lease ends in {seconds:.0f} s")
        self.seconds = seconds
