"""manage.py policy_check: evaluate one claim against the law and the region's published policy."""

import datetime
import json

import holidays
from babel import Locale
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from policies.explain import render_explanation, render_step
from policies.law import ENCODED, jurisdiction_for
from policies.rules import Claim, evaluate
from policies.selectors import policy_context
from policies.taxonomy import Category, Condition, Reason

_COUNTRIES = frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())
# The only subdivisions the engine tells apart: US states, districts and territories (state return laws).
US_SUBDIVISIONS = frozenset(f"US-{code}" for code in holidays.US.subdivisions)


def _valid_country(code: str) -> bool:
    country, _, state = code.partition("-")
    if country not in _COUNTRIES:
        return False
    return not state or code in US_SUBDIVISIONS


class Command(BaseCommand):
    help = "Evaluate one return claim and print the decision with its legal and policy reasons."

    def add_arguments(self, parser):
        parser.add_argument("--country", required=True, help="ISO 3166-1 alpha-2 code; US states as US-CA.")
        parser.add_argument("--category", required=True, help="Product category code.")
        parser.add_argument("--reason", required=True, help="Return reason code.")
        parser.add_argument("--ordered", required=True, help="Order date, YYYY-MM-DD.")
        parser.add_argument("--delivered", required=True, help="Delivery date, YYYY-MM-DD.")
        parser.add_argument("--claimed", required=True, help="Date of the return request, YYYY-MM-DD.")
        parser.add_argument(
            "--last-delivered",
            help="Delivery of the last item of an order delivered in parts, YYYY-MM-DD; the EU withdrawal period "
            "runs from it (CRD Art. 9(2)(b)(ii)). Default: the item's own delivery.",
        )
        parser.add_argument("--condition", help="Condition of the item.")
        parser.add_argument(
            "--not-informed",
            action="store_true",
            help="The shop did not give the withdrawal information (CRD Art. 10(1): +12 months), or did not make "
            "an exception clear before the purchase (Korea, China).",
        )
        parser.add_argument(
            "--informed-on",
            help="The day the shop gave the withdrawal information late, YYYY-MM-DD (implies --not-informed): "
            "the period ends 14 days after it (CRD Art. 10(2)).",
        )
        parser.add_argument("--terms-displayed", action="store_true", help="The shop displayed its own return terms.")
        parser.add_argument("--law-only", action="store_true", help="Evaluate against the statute alone.")
        parser.add_argument("--json", action="store_true", help="Print the decision as one JSON object.")
        parser.add_argument("--language", default="en", help="Language of the explanation (default: en).")

    def _code(self, kind: str, value: str, valid) -> str:
        if value not in valid:
            raise CommandError(f"Unknown {kind} code {value!r}. Valid codes: {', '.join(sorted(valid))}.", returncode=2)
        return value

    def _date(self, name: str, value: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--{name} must be a date as YYYY-MM-DD, not {value!r}.", returncode=2) from None

    def _check_order(self, *dates):
        """Dates that cannot happen in this order are an input error, not a decision."""
        given = [(name, day) for name, day in dates if day is not None]
        for (earlier_name, earlier), (later_name, later) in zip(given, given[1:], strict=False):
            if later < earlier:
                raise CommandError(
                    f"--{later_name} {later} is before --{earlier_name} {earlier}: that order cannot happen.",
                    returncode=2,
                )

    def handle(self, *args, **options):
        country = options["country"].upper()
        if not _valid_country(country):
            raise CommandError(
                f"Unknown country or subdivision code {options['country']!r}. Valid codes: any ISO 3166-1 alpha-2 "
                f"code; US states as {', '.join(sorted(US_SUBDIVISIONS))}; with an encoded baseline: "
                f"{', '.join(ENCODED)}.",
                returncode=2,
            )
        category = self._code("category", options["category"], Category.values)
        reason = self._code("reason", options["reason"], Reason.values)
        condition = options["condition"]
        if condition is not None:
            condition = self._code("condition", condition, Condition.values)
        ordered = self._date("ordered", options["ordered"])
        delivered = self._date("delivered", options["delivered"])
        claimed = self._date("claimed", options["claimed"])
        last_delivered = self._date("last-delivered", options["last_delivered"]) if options["last_delivered"] else None
        informed_on = self._date("informed-on", options["informed_on"]) if options["informed_on"] else None
        # A return is claimed after delivery; the last item of a split order may still be on its way; late
        # information comes after the order and is known on the claim date.
        self._check_order(("ordered", ordered), ("delivered", delivered), ("claimed", claimed))
        self._check_order(("delivered", delivered), ("last-delivered", last_delivered))
        self._check_order(("ordered", ordered), ("informed-on", informed_on), ("claimed", claimed))

        claim = Claim(
            country=country,
            category=category,
            reason=reason,
            delivered_on=delivered,
            claimed_on=claimed,
            ordered_on=ordered,
            condition=condition,
            last_delivered_on=last_delivered,
            informed=not (options["not_informed"] or informed_on),
            informed_on=informed_on,
            terms_displayed=options["terms_displayed"],
        )
        if options["law_only"]:
            snapshot, law, note = None, jurisdiction_for(country), "law only"
        else:
            context = policy_context(country=country)
            snapshot, law = context.snapshot, context.jurisdiction
            note = f"policy {context.policy}" if context.policy else "no published policy: law only"
            if context.fallback and context.region is not None:
                note += f" (default region {context.region.code}: no region lists {country})"
        decision = evaluate(claim, snapshot, law)

        with translation.override(options["language"]):
            explanation = render_explanation(decision.explanation)
            summary = render_step(decision.summary)
        if options["json"]:
            payload = {
                "eligible": decision.eligible,
                "basis": decision.basis,
                "deadline": decision.deadline.isoformat() if decision.deadline else None,
                "refund_due_days": decision.refund_due_days,
                "refund_due_from": decision.refund_due_from,
                "return_shipping_paid_by": decision.return_shipping_paid_by,
                "exception": decision.exception,
                "presumption_until": decision.presumption_until.isoformat() if decision.presumption_until else None,
                "explanation": explanation,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{'ELIGIBLE' if decision.eligible else 'NOT ELIGIBLE'}: {summary}")
        self.stdout.write(f"basis: {decision.basis}    deadline: {decision.deadline or '-'}    ({note})")
        self.stdout.write(
            f"return shipping: {decision.return_shipping_paid_by}    refund due: "
            f"{decision.refund_due_days if decision.refund_due_days is not None else '-'} days from "
            f"{decision.refund_due_from or '-'}    presumption until: {decision.presumption_until or '-'}"
        )
        for step in explanation:
            reference = f"  [{step['reference']}]" if step["reference"] else ""
            self.stdout.write(f"  - {step['text']}{reference}")
