"""A payment provider at the edge of the world that fails before it pays: the local provider behind a fault.

Named in ``PAYMENT_PROVIDER`` by tests, in the test process or a real worker's environment. The number of
calls so far is kept in the file ``FLAKY_PROVIDER_STATE`` (locked), so it counts across worker processes.
``FLAKY_PROVIDER_FAILURES`` calls fail with a transient error (a 503); with ``FLAKY_PROVIDER_DECLINE=1`` the
provider declines for good instead; ``FLAKY_PROVIDER_DELAY`` seconds make each call slow.
"""

import fcntl
import os
import time

from rma.integrations import ports
from rma.integrations.local import LocalPaymentProvider


def calls_so_far() -> int:
    with open(os.environ["FLAKY_PROVIDER_STATE"], "a+") as state:
        state.seek(0)
        return len(state.read())


class FlakyPaymentProvider(LocalPaymentProvider):
    name = "flaky"

    def refund(self, **kwargs) -> ports.PaymentResult:
        self._call()
        return super().refund(**kwargs)

    def charge(self, **kwargs) -> ports.PaymentResult:
        self._call()
        return super().charge(**kwargs)

    def _call(self) -> None:
        with open(os.environ["FLAKY_PROVIDER_STATE"], "a+") as state:
            fcntl.flock(state, fcntl.LOCK_EX)
            state.seek(0)
            calls = len(state.read())
            state.write("x")
        time.sleep(float(os.environ.get("FLAKY_PROVIDER_DELAY", "0")))  # a slow provider
        if os.environ.get("FLAKY_PROVIDER_DECLINE") == "1":
            raise ports.PaymentDeclined("card_closed: the original card was closed; refund by another method")
        if calls < int(os.environ.get("FLAKY_PROVIDER_FAILURES", "3")):
            raise ports.ProviderError(f"503 Service Unavailable (call {calls + 1})")
