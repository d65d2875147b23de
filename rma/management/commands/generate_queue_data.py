"""manage.py generate_queue_data: a large, realistic case load for the agent queue benchmark (never for real data).

Writes customers, orders, order lines, cases (about 8% open, the rest closed), one item per case, timeline
events and a team of agents. PostgreSQL gets COPY (the events: INSERT ... SELECT, written by the server);
other databases get bulk_create in batches.
"""

import datetime
import json
import random
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, models, transaction
from django.utils import timezone

from rma.access import roles
from rma.cases.models import AgentProfile, CaseEvent, CaseKind, ReturnCase, ReturnItem
from rma.orders.models import Customer, Order, OrderLine

LANGUAGES = [("en", "US"), ("it", "IT"), ("de", "DE"), ("fr", "FR"), ("ro", "RO"), ("zh-hans", "CN"), ("ja", "JP")]
OPEN_MIX = [("requested", 40), ("needs_info", 5), ("approved", 5), ("label_issued", 15), ("in_transit", 15),
            ("received", 10), ("inspected", 5), ("escalated", 5)]  # fmt: skip
REASONS = ["too_small", "too_large", "changed_mind", "defective", "not_as_described", "damaged_in_transit"]
EVENT_KINDS = ["filed", "transition", "notification", "label", "transition", "notification", "refund"]


class Command(BaseCommand):
    help = "Generate N cases with M timeline events each for the queue benchmark (PostgreSQL: COPY)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--events-per-case", type=int, default=10)
        parser.add_argument("--agents", type=int, default=20)
        parser.add_argument("--open-share", type=float, default=0.08)
        parser.add_argument("--batch", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, cases, events_per_case, agents, open_share, batch, seed, **options):
        rng = random.Random(seed)
        self.batch = batch
        now = timezone.now()
        roles.roles_ensure()
        team = self._agents(agents)
        first = {m: (m.objects.aggregate(n=models.Max("id"))["n"] or 0) + 1 for m in (Customer, Order, OrderLine,
                 ReturnCase, ReturnItem, CaseEvent)}  # fmt: skip
        customers = max(cases // 5, 1)
        self._write(Customer, (
            {"id": first[Customer] + i, "email": f"bench{first[Customer] + i}@example.com", "name": f"Customer {i}",
             "language": LANGUAGES[i % len(LANGUAGES)][0], "country": LANGUAGES[i % len(LANGUAGES)][1],
             "created_at": now}
            for i in range(customers)
        ))  # fmt: skip
        self.stdout.write(f"{customers} customers")
        open_statuses = [s for s, w in OPEN_MIX for _ in range(w)]

        def case_rows():
            for i in range(cases):
                customer = i % customers
                language, country = LANGUAGES[customer % len(LANGUAGES)]
                is_open = rng.random() < open_share
                status = rng.choice(open_statuses) if is_open else "closed"
                age = datetime.timedelta(minutes=rng.randint(0, 10 * 24 * 60 if is_open else 730 * 24 * 60))
                created = now - age
                decided = status not in {"requested", "needs_info", "escalated"}
                received = status in {"received", "inspected", "closed"}
                yield (
                    i,
                    {
                        "id": first[ReturnCase] + i,
                        "rma_number": f"B{first[ReturnCase] + i:010d}",
                        "customer_id": first[Customer] + customer,
                        "kind": rng.choice(CaseKind.values),
                        "status": status,
                        "language": language,
                        "country": country,
                        "currency": "EUR",
                        "assignee_id": rng.choice(team) if rng.random() < 0.7 else None,
                        "first_response_due_at": created + datetime.timedelta(hours=24),
                        "decision_due_at": created + datetime.timedelta(hours=48),
                        "decided_at": created + datetime.timedelta(hours=rng.randint(1, 60)) if decided else None,
                        "received_at": created + datetime.timedelta(days=5) if received else None,
                        "refund_due_at": created + datetime.timedelta(days=6) if received else None,
                        "resolved_at": created + datetime.timedelta(days=6, hours=rng.randint(0, 30))
                        if status == "closed"
                        else None,
                        "closed_at": created + datetime.timedelta(days=8) if status == "closed" else None,
                        "created_at": created,
                        "updated_at": created,
                    },
                )

        def orders():
            for i, row in case_rows():
                yield {"order": {"id": first[Order] + i, "number": f"BO-{first[Order] + i:09d}",
                                 "customer_id": row["customer_id"], "currency": "EUR",
                                 "ordered_on": row["created_at"].date() - datetime.timedelta(days=10),
                                 "delivered_on": row["created_at"].date() - datetime.timedelta(days=5),
                                 "ship_name": "Bench", "ship_street": "Street 1", "ship_city": "City",
                                 "ship_country": row["country"]},
                       "line": {"id": first[OrderLine] + i, "order_id": first[Order] + i, "sku": f"SKU-{i % 5000}",
                                "name": f"Product {i % 5000}", "category": "apparel", "quantity": 1,
                                "unit_price": Decimal(rng.randint(500, 40000)) / 100},
                       "case": row,
                       "item": {"id": first[ReturnItem] + i, "case_id": row["id"],
                                "order_line_id": first[OrderLine] + i, "quantity": 1, "reason": rng.choice(REASONS),
                                "eligible": True,
                                "status": "inspected" if row["status"] == "closed" else "pending"}}  # fmt: skip

        # Four tables from one pass, written in batches so memory stays flat.
        pending = {Order: [], OrderLine: [], ReturnCase: [], ReturnItem: []}
        written = 0
        for bundle in orders():
            pending[Order].append(bundle["order"])
            pending[OrderLine].append(bundle["line"])
            pending[ReturnCase].append(bundle["case"])
            pending[ReturnItem].append(bundle["item"])
            if len(pending[ReturnCase]) >= batch:
                written += self._flush(pending)
                self.stdout.write(f"{written} cases")
        written += self._flush(pending)
        self.stdout.write(f"{written} cases, with orders, lines and items")

        if connection.vendor == "postgresql":
            self._events_in_sql(first[ReturnCase], cases, events_per_case, seed)
        else:

            def event_rows():
                for i in range(cases):
                    base = now - datetime.timedelta(minutes=rng.randint(0, 730 * 24 * 60))
                    for n in range(events_per_case):
                        yield {"id": first[CaseEvent] + i * events_per_case + n, "case_id": first[ReturnCase] + i,
                               "kind": EVENT_KINDS[n % len(EVENT_KINDS)], "actor_role": "system",
                               "created_at": base + datetime.timedelta(hours=n)}  # fmt: skip

            self._write(CaseEvent, event_rows())
        self.stdout.write(f"{cases * events_per_case} events")
        if connection.vendor == "postgresql":
            self._reset_sequences()
            with connection.cursor() as cursor:
                # Fresh statistics and visibility map, as autovacuum leaves a live database.
                cursor.execute("VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS("Done."))

    @staticmethod
    def _events_in_sql(first_case: int, cases: int, per_case: int, seed: int) -> None:
        """The timeline events, written by the database itself: ten million rows in about a minute,
        where sending them row by row from Python takes several."""
        kinds = "ARRAY[" + ", ".join(f"'{kind}'" for kind in EVENT_KINDS) + "]"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
            cursor.execute(
                f"""
                INSERT INTO {CaseEvent._meta.db_table}
                    (case_id, kind, from_status, to_status, actor_id, actor_role, data, created_at)
                SELECT c.id, ({kinds})[n %% {len(EVENT_KINDS)} + 1], '', '', NULL, 'system', '{{}}',
                       c.created_at + n * interval '1 hour'
                FROM {ReturnCase._meta.db_table} c CROSS JOIN generate_series(0, %s - 1) AS n
                WHERE c.id >= %s AND c.id < %s
                ORDER BY c.id, n
                """,  # noqa: S608 (table names and kinds are ours, not input)
                [per_case, first_case, first_case + cases],
            )

    def _agents(self, count: int) -> list[int]:
        group = Group.objects.get(name=roles.AGENT)
        ids = []
        for n in range(count):
            user, _ = User.objects.get_or_create(username=f"bench-agent-{n}", defaults={"is_staff": True})
            user.groups.add(group)
            AgentProfile.objects.get_or_create(
                user=user, defaults={"languages": [LANGUAGES[n % len(LANGUAGES)][0], "en"], "max_open_cases": 5000}
            )
            ids.append(user.pk)
        return ids

    def _flush(self, pending: dict) -> int:
        count = len(pending[ReturnCase])
        for model in (Order, OrderLine, ReturnCase, ReturnItem):
            self._write(model, pending[model])
            pending[model] = []
        return count

    def _write(self, model, rows) -> None:
        fields = model._meta.concrete_fields
        defaults = {}
        for field in fields:
            default = field.get_default() if field.has_default() else (None if field.null else "")
            defaults[field.attname] = default
        if connection.vendor == "postgresql":
            self._copy(model, fields, defaults, rows)
            return
        chunk = []
        for row in rows:
            chunk.append(model(**{**{k: v for k, v in defaults.items() if k != "id"}, **row}))
            if len(chunk) >= self.batch:
                model.objects.bulk_create(chunk)
                chunk = []
        if chunk:
            model.objects.bulk_create(chunk)

    @staticmethod
    def _copy(model, fields, defaults, rows) -> None:
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                values = []
                for field in fields:
                    value = row.get(field.attname, defaults[field.attname])
                    if field.attname in json_fields:
                        value = json.dumps(value)
                    values.append(value)
                copy.write_row(values)

    def _reset_sequences(self) -> None:
        from io import StringIO

        out = StringIO()
        call_command("sqlsequencereset", "rma", stdout=out, no_color=True)
        with connection.cursor() as cursor:
            cursor.execute(out.getvalue())
