"""manage.py generate_analytics_data: a large, realistic history for the analytics benchmark (never for real data).

Two years of orders (one or two lines, one to three units each) in eight countries and five currencies,
1,500 products in eight categories with their own return propensity (a few run small), and a return case
for a share of the lines until ``--cases`` is reached: reasons, outcomes, clocks, timeline events, refunds,
store credit, exchanges, deductions, goodwill, labels and survey answers. PostgreSQL gets COPY; other
databases bulk_create (small sizes only).
"""

import datetime
import io
import json
import random
from decimal import Decimal

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction
from django.utils import timezone

from policies.models import Region, RegionCountry
from rma.analytics.models import LabelRate
from rma.cases.models import (
    CaseEvent,
    Compensation,
    Deduction,
    ExchangeOrder,
    Refund,
    ReturnCase,
    ReturnItem,
    StoreCreditAccount,
    StoreCreditEntry,
    SurveyResponse,
)
from rma.logistics.models import Shipment
from rma.orders.models import Customer, Order, OrderLine

# country, language, currency, region code (None: no region covers it), weight
COUNTRIES = [("IT", "it", "EUR", "EU", 18), ("DE", "de", "EUR", "EU", 22), ("FR", "fr", "EUR", "EU", 14),
             ("ES", "es", "EUR", "EU", 8), ("US", "en", "USD", "US", 20), ("JP", "ja", "JPY", "JP", 8),
             ("CN", "zh-hans", "CNY", "CN", 6), ("CH", "de", "CHF", None, 4)]  # fmt: skip
PRICE_FACTOR = {"EUR": 1, "USD": 1, "CHF": 1, "JPY": 150, "CNY": 7}
# category, share of products, chance a line comes back, reasons with weights
CATEGORIES = [
    ("apparel", 30, 0.45, {"too_small": 30, "too_large": 25, "change_of_mind": 20, "not_as_described": 15,
                           "defective": 4, "damaged_in_transit": 3, "wrong_item": 3}),
    ("footwear", 15, 0.40, {"too_small": 35, "too_large": 25, "change_of_mind": 15, "not_as_described": 10,
                            "defective": 8, "damaged_in_transit": 4, "wrong_item": 3}),
    ("electronics", 15, 0.20, {"defective": 40, "change_of_mind": 25, "not_as_described": 15,
                               "damaged_in_transit": 12, "wrong_item": 8}),
    ("home", 12, 0.15, {"damaged_in_transit": 30, "change_of_mind": 30, "not_as_described": 20, "defective": 15,
                        "wrong_item": 5}),
    ("furniture", 5, 0.15, {"damaged_in_transit": 40, "not_as_described": 25, "change_of_mind": 20,
                            "defective": 10, "wrong_item": 5}),
    ("books", 10, 0.08, {"damaged_in_transit": 40, "wrong_item": 30, "change_of_mind": 30}),
    ("cosmetics", 8, 0.12, {"change_of_mind": 50, "not_as_described": 30, "damaged_in_transit": 20}),
    ("personalised", 5, 0.05, {"defective": 50, "damaged_in_transit": 30, "wrong_item": 20}),
]  # fmt: skip
PRODUCTS = 1500
OUTCOMES = [("refunded", 60), ("credited", 15), ("exchanged", 13), ("repaired", 3), ("rejected", 6), ("cancelled", 3)]
OPEN_MIX = [("requested", 40), ("approved", 10), ("label_issued", 15), ("in_transit", 20), ("received", 15)]
H = datetime.timedelta(hours=1)


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


class Writer:
    """Rows of one table, with every column the model has (new columns get their model default)."""

    def __init__(self, model, batch: int):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        self.template = []
        for f in self.fields:
            default = f.get_default() if f.has_default() else (None if f.null else "")
            self.template.append(default)
        self.rows: list[list] = []
        self.batch = batch
        self.count = 0

    def add(self, **values) -> None:
        row = list(self.template)
        for name, value in values.items():
            row[self.index[name]] = value
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self.count += len(self.rows)
        if connection.vendor == "postgresql":
            columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
            buffer = io.StringIO()
            for row in self.rows:
                buffer.write("\t".join(_copy_value(v) for v in row))
                buffer.write("\n")
            with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(self.model._meta.db_table)} ({columns}) FROM STDIN"
            ) as copy:  # fmt: skip
                copy.write(buffer.getvalue())
        else:  # plain INSERTs: bulk_create would stamp auto_now_add fields with the current time
            columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
            marks = ", ".join(["%s"] * len(self.fields))
            json_columns = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]
            for row in self.rows:
                for i in json_columns:
                    row[i] = json.dumps(row[i])
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(self.model._meta.db_table)} ({columns}) VALUES ({marks})",  # noqa: S608
                    self.rows,
                )
        self.rows = []


def _weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs, strict=True)
    return lambda: rng.choices(items, weights)[0]


class Command(BaseCommand):
    help = "Generate two years of orders and N return cases with their money, clocks and surveys (analytics)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--days", type=int, default=730)
        parser.add_argument("--batch", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=2026)

    @transaction.atomic  # one transaction: foreign keys are checked once, at the end
    def handle(self, *args, cases, days, batch, seed, **options):
        rng = random.Random(seed)
        now = timezone.now().replace(microsecond=0)
        today = now.date()
        self._regions()
        LabelRate.objects.get_or_create(carrier="Returns Post", currency="EUR", valid_from=datetime.date(2020, 1, 1),
                                        defaults={"amount": Decimal("5.90")})  # fmt: skip
        LabelRate.objects.get_or_create(carrier="Returns Post", currency="USD", valid_from=datetime.date(2020, 1, 1),
                                        defaults={"amount": Decimal("7.50")})  # fmt: skip
        first = {
            m: (m.objects.aggregate(n=models.Max("id"))["n"] or 0) + 1
            for m in (Customer, Order, OrderLine, ReturnCase, ReturnItem, CaseEvent, Refund, StoreCreditAccount,
                      StoreCreditEntry, ExchangeOrder, Shipment, SurveyResponse, Deduction, Compensation)
        }  # fmt: skip
        w = {m: Writer(m, batch) for m in first}
        ids = dict(first)

        def next_id(model):
            value = ids[model]
            ids[model] += 1
            return value

        staff = self._staff()
        country_of = _weighted(rng, [(c, c[4]) for c in COUNTRIES])
        products = []
        category_pick = _weighted(rng, [(c, c[1]) for c in CATEGORIES])
        for n in range(PRODUCTS):
            category = category_pick()
            factor = rng.lognormvariate(0, 0.35)
            small = rng.random() < 0.03 and category[0] in {"apparel", "footwear"}  # these run small
            price = Decimal(rng.randint(800, 25000)) / 100
            products.append((f"SKU-{n:05d}", f"Product {n:05d}", category, factor * (1.6 if small else 1), small,
                             price))  # fmt: skip
        customers = max(cases // 3, 10)
        customer_country = []
        for i in range(customers):
            country = country_of()
            customer_country.append(country)
            w[Customer].add(id=first[Customer] + i, email=f"analytics{first[Customer] + i}@example.com",
                            name=f"Customer {i}", language=country[1], country=country[0], created_at=now)  # fmt: skip
        w[Customer].flush()
        self.stdout.write(f"{customers:,} customers")
        outcome_pick = _weighted(rng, OUTCOMES)
        open_pick = _weighted(rng, OPEN_MIX)
        reason_picks = {c[0]: _weighted(rng, list(c[3].items())) for c in CATEGORIES}
        accounts: dict[tuple[int, str], int] = {}
        made = 0
        while made < cases:
            customer_index = rng.randrange(customers)
            country = customer_country[customer_index]
            customer_id = first[Customer] + customer_index
            currency = country[2]
            # Orders come in date order (ids grow with time, as imports append them).
            ordered_on = today - datetime.timedelta(days=max(5, days - int(days * made / cases)))
            order_id = next_id(Order)
            w[Order].add(id=order_id, number=f"AO-{order_id:09d}", customer_id=customer_id, currency=currency,
                         ordered_on=ordered_on, delivered_on=ordered_on + datetime.timedelta(days=3),
                         ship_name="Bench", ship_street="Street 1", ship_city="City",
                         ship_country=country[0])  # fmt: skip
            for _ in range(1 if rng.random() < 0.5 else 2):
                sku, name, category, factor, small, price = products[rng.randrange(PRODUCTS)]
                quantity = rng.choice((1, 1, 1, 2, 2, 3))
                line_id = next_id(OrderLine)
                unit_price = (price * PRICE_FACTOR[currency]).quantize(Decimal("0.01"))
                w[OrderLine].add(id=line_id, order_id=order_id, sku=sku, name=name, category=category[0],
                                 quantity=quantity, unit_price=unit_price)  # fmt: skip
                if made >= cases or rng.random() >= min(category[2] * factor, 0.9):
                    continue
                created = datetime.datetime.combine(
                    ordered_on + datetime.timedelta(days=rng.randint(4, 30)), datetime.time(), tzinfo=datetime.UTC
                ) + datetime.timedelta(minutes=rng.randint(0, 24 * 60 - 1))
                if created >= now:
                    continue
                reason = "too_small" if small and rng.random() < 0.6 else reason_picks[category[0]]()
                returned = rng.randint(1, quantity)
                self._case(w, rng, next_id, now=now, created=created, customer_id=customer_id, country=country,
                           line_id=line_id, quantity=returned, reason=reason, value=unit_price * returned,
                           outcome_pick=outcome_pick, open_pick=open_pick, accounts=accounts, staff=staff)  # fmt: skip
                made += 1
                if made % 100_000 == 0:
                    self.stdout.write(f"{made:,} cases")
        for writer in w.values():
            writer.flush()
        self.stdout.write(", ".join(f"{m._meta.model_name}: {wr.count:,}" for m, wr in w.items()))
        if connection.vendor == "postgresql":
            self._reset_sequences()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS("Done."))

    def _case(self, w, rng, next_id, *, now, created, customer_id, country, line_id, quantity, reason, value,
              outcome_pick, open_pick, accounts, staff):  # fmt: skip
        case_id = next_id(ReturnCase)
        currency = country[2]
        closed = rng.random() < 0.92 and created < now - datetime.timedelta(days=10)
        status = "closed" if closed else open_pick()
        outcome = outcome_pick() if closed else None
        decided = created + H * rng.lognormvariate(2.3, 0.9) if (closed or status != "requested") else None
        if outcome == "cancelled":
            decided = None
        shipped = decided is not None and outcome not in {"rejected", "repaired"} and status != "approved"
        received = decided + H * rng.uniform(30, 170) if shipped and (closed or status == "received") else None
        resolved = None
        if outcome in {"refunded", "credited", "exchanged", "repaired"}:
            resolved = (received or decided) + H * rng.lognormvariate(2.8, 0.8)
        end = resolved or received or decided or created
        if closed and end >= now:
            closed, status, outcome, resolved = False, "received" if received else "approved", None, None
        first_response = created + H * rng.lognormvariate(1.8, 1.0)
        w[ReturnCase].add(
            id=case_id, rma_number=f"A{case_id:010d}", customer_id=customer_id, kind="return", status=status,
            language=country[1], country=country[0], currency=currency, first_response_due_at=created + 24 * H,
            first_responded_at=first_response if first_response < now else None,
            decision_due_at=created + 48 * H, decided_at=decided, received_at=received,
            refund_due_at=received + 24 * H if received else None, resolved_at=resolved,
            closed_at=end + H if closed else None, created_at=created, updated_at=end,
        )  # fmt: skip
        item_id = next_id(ReturnItem)
        wish = {"credited": "store_credit", "exchanged": "exchange", "repaired": "repair"}.get(outcome, "refund")
        w[ReturnItem].add(id=item_id, case_id=case_id, order_line_id=line_id, quantity=quantity, reason=reason,
                          resolution=wish, eligible=True, status="inspected" if received else "pending")  # fmt: skip
        w[CaseEvent].add(id=next_id(CaseEvent), case_id=case_id, kind="filed", actor_role="customer",
                         created_at=created)  # fmt: skip
        if decided:
            w[CaseEvent].add(id=next_id(CaseEvent), case_id=case_id, kind="transition", actor_role="agent",
                             from_status="requested", to_status="approved", created_at=decided)  # fmt: skip
        if outcome:
            w[CaseEvent].add(id=next_id(CaseEvent), case_id=case_id, kind="transition", actor_role="agent",
                             to_status=outcome, created_at=resolved or end)  # fmt: skip
            w[CaseEvent].add(id=next_id(CaseEvent), case_id=case_id, kind="transition", actor_role="agent",
                             from_status=outcome, to_status="closed", created_at=end + H)  # fmt: skip
        if shipped:
            w[Shipment].add(id=next_id(Shipment), case_id=case_id, carrier="Returns Post",
                            tracking_number=f"AT{case_id:012d}", label_pdf=f"labels/A{case_id:010d}/label.pdf",
                            created_at=decided + H)  # fmt: skip
        deducted = Decimal(0)
        if received and rng.random() < 0.06:
            deducted = (value * Decimal("0.10")).quantize(Decimal("0.01"))
            if deducted > 0:
                w[Deduction].add(id=next_id(Deduction), item_id=item_id, reason=rng.choice(
                    ["restocking_fee", "return_shipping_fee", "diminished_value"]), amount=deducted,
                    created_by_id=staff, created_at=received + H)  # fmt: skip
        if outcome == "refunded" and value - deducted > 0:
            refund_id = next_id(Refund)
            w[Refund].add(id=refund_id, case_id=case_id, kind="refund", idempotency_key=f"refund:A{case_id}",
                          amount=value - deducted, currency=currency, status="paid", provider="local",
                          created_at=resolved, paid_at=resolved)  # fmt: skip
        elif outcome == "credited" and value - deducted > 0:
            account = accounts.get((customer_id, currency))
            if account is None:
                account = accounts[(customer_id, currency)] = next_id(StoreCreditAccount)
                w[StoreCreditAccount].add(id=account, customer_id=customer_id, currency=currency,
                                          code=f"SC-A{account:010d}", created_at=resolved)  # fmt: skip
            w[StoreCreditEntry].add(id=next_id(StoreCreditEntry), account_id=account, case_id=case_id, kind="credit",
                                    amount=value - deducted, idempotency_key=f"credit:A{case_id}",
                                    created_at=resolved)  # fmt: skip
            w[StoreCreditEntry].add(id=next_id(StoreCreditEntry), account_id=account, case_id=case_id, kind="bonus",
                                    amount=((value - deducted) / 10).quantize(Decimal("0.01")),
                                    idempotency_key=f"bonus:A{case_id}", created_at=resolved)  # fmt: skip
        elif outcome == "exchanged":
            difference = rng.choice([Decimal(0), Decimal(0), Decimal("5.00"), Decimal("-5.00")])
            w[ExchangeOrder].add(id=next_id(ExchangeOrder), case_id=case_id, number=f"EX-A{case_id:010d}",
                                 description="Another size", price_difference=difference, currency=currency,
                                 created_at=resolved)  # fmt: skip
        if closed and rng.random() < 0.01:
            w[Compensation].add(id=next_id(Compensation), case_id=case_id, kind="voucher", amount=Decimal("5.00"),
                                currency=currency, idempotency_key=f"goodwill:A{case_id}", created_by_id=staff,
                                created_at=end)  # fmt: skip
        if closed and rng.random() < 0.3:
            rating = rng.choices([1, 2, 3, 4, 5], [5, 7, 15, 33, 40])[0]
            w[SurveyResponse].add(id=next_id(SurveyResponse), case_id=case_id, rating=rating, created_at=end + 2 * H)

    def _regions(self) -> None:
        for code, name in (("EU", "European Union"), ("US", "United States"), ("JP", "Japan"), ("CN", "China")):
            region, _ = Region.objects.get_or_create(code=code, defaults={"name": name})
            for country in COUNTRIES:
                if country[3] == code:
                    RegionCountry.objects.get_or_create(country=country[0], defaults={"region": region})

    def _staff(self) -> int:
        from django.contrib.auth.models import User

        user, _ = User.objects.get_or_create(username="analytics-bench-warehouse", defaults={"is_staff": True})
        return user.pk

    def _reset_sequences(self) -> None:
        out = io.StringIO()
        call_command("sqlsequencereset", "rma", stdout=out, no_color=True)
        with connection.cursor() as cursor:
            cursor.execute(out.getvalue())
