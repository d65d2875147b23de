"""Demo data for `make run`: regions, policies, staff logins, customers with orders in seven countries.

Loading twice is harmless: what exists is left alone, except the demo orders' dates, which every load
sets again relative to today. So the recent orders are always inside every region's window (the
shortest is China's 7 days) and the older ones always past it, however long ago the data was first
loaded; ``demo_orders_described`` says what each order shows, as `make run` prints it.
"""

import datetime
from decimal import Decimal

from babel.numbers import get_currency_precision
from django.contrib.auth.models import Group, User
from django.templatetags.static import static
from django.utils import timezone

from policies.law import EU_MEMBER_STATES
from policies.models import Region, RegionCountry, ReturnCenter, ReturnPolicy
from policies.services import policy_create_draft, policy_publish
from rma.access import gifts, roles
from rma.cases import services
from rma.cases.models import AgentProfile, ReturnCase
from rma.messaging.demo import canned_replies_demo_load
from rma.orders.models import Customer, Order, OrderLine, Product, Variant

from .analytics.demo import analytics_demo_load

STAFF = [
    # username, password, role, first name
    ("agent", "agent-demo-2026", roles.AGENT, "Alex"),
    ("supervisor", "supervisor-demo-2026", roles.SUPERVISOR, "Sam"),
    ("policyadmin", "policyadmin-demo-2026", roles.POLICY_ADMIN, "Pat"),
]

REGIONS = [
    # code, name, countries, policy fields
    (
        "EU",
        "European Union",
        sorted(EU_MEMBER_STATES),
        {
            "window_days": 30,
            "change_of_mind_allowed": True,
            "return_shipping_paid_by": "customer",
            "currency": "EUR",
            "return_label_fee": Decimal("4.90"),
            "store_credit_bonus_percent": 10,
            "refund_days": 7,
            "resolutions": ["refund", "store_credit", "exchange", "repair", "replacement"],
            "return_methods": ["mail_label", "drop_off_qr", "return_center"],
            "exchange_other_products": True,
        },  # fmt: skip
    ),
    (
        "US",
        "United States",
        ["US"],
        {
            "window_days": 30,
            "change_of_mind_allowed": True,
            "return_shipping_paid_by": "merchant",
            "refund_days": 5,
            "resolutions": ["refund", "store_credit", "exchange"],
            "instant_exchange": "merchant_risk",
            "return_methods": ["mail_label", "drop_off_qr"],
        },  # fmt: skip
    ),
    (
        "JP",
        "Japan",
        ["JP"],
        {"window_days": 30, "change_of_mind_allowed": False, "return_shipping_paid_by": "merchant"},
    ),
    (
        "CN",
        "China",
        ["CN"],
        {
            "window_days": 7,
            "change_of_mind_allowed": True,
            "return_shipping_paid_by": "customer",
            "currency": "CNY",
            "return_label_fee": Decimal("12.00"),
            "return_methods": ["mail_label", "drop_off_qr"],
        },
    ),  # fmt: skip
]

RETURN_CENTERS = [
    # name, address (last line: postcode city), country, customs territory, countries served, fallback
    ("Returns Centre Milano", "Via dei Resi 1\n20121 Milano", "IT", "EU", sorted(EU_MEMBER_STATES), True),
    ("Returns Center Reno", "1200 Logistics Way\n89502 Reno", "US", "US", ["US"], False),
    ("返品センター 大阪", "住之江区南港北1-1\n559-0034 大阪市", "JP", "JP", ["JP"], False),
    ("退货中心 上海", "浦东新区物流路8号\n200120 上海市", "CN", "CN", ["CN"], False),
]

CUSTOMERS = [
    # email, name, language, country, currency, street, postcode, city, products
    (
        "giulia.rossi@example.com",
        "Giulia Rossi",
        "it",
        "IT",
        "EUR",
        "Via Roma 12",
        "20121",
        "Milano",
        [
            ("IT-JKT-01", "Giacca in lana", "apparel", 1, "129.00"),
            ("IT-SHO-02", "Scarpe da corsa", "footwear", 2, "89.90"),
            ("IT-MUG-03", "Tazza personalizzata", "personalised", 1, "19.50"),
        ],
    ),
    (
        "andrei.popescu@example.com",
        "Andrei Popescu",
        "ro",
        "RO",
        "RON",
        "Strada Lipscani 5",
        "030031",
        "București",
        [
            ("RO-HDP-01", "Căști wireless", "electronics", 1, "449.99"),
            ("RO-TSH-02", "Tricou bumbac", "apparel", 3, "59.00"),
        ],
    ),
    (
        "lukas.mueller@example.com",
        "Lukas Müller",
        "de",
        "DE",
        "EUR",
        "Hauptstraße 7",
        "10115",
        "Berlin",
        [("DE-LMP-01", "Stehlampe", "home", 1, "74.00"), ("DE-BK-02", "Kochbuch", "books", 1, "24.95")],
    ),
    (
        "camille.martin@example.com",
        "Camille Martin",
        "fr",
        "FR",
        "EUR",
        "12 rue de Rivoli",
        "75001",
        "Paris",
        [("FR-DRS-01", "Robe d'été", "apparel", 1, "65.00"), ("FR-CRM-02", "Crème visage", "cosmetics", 2, "32.00")],
    ),
    (
        "emily.johnson@example.com",
        "Emily Johnson",
        "en",
        "US",
        "USD",
        "500 Market St",
        "94105",
        "San Francisco",
        [
            ("US-BAG-01", "Leather backpack", "apparel", 1, "180.00"),
            ("US-SPK-02", "Bluetooth speaker", "electronics", 1, "99.00"),
        ],
    ),
    (
        "yuki.tanaka@example.com",
        "田中 由紀",
        "ja",
        "JP",
        "JPY",
        "千代田区丸の内1-1-1",
        "100-0005",
        "東京都",
        [("JP-KTL-01", "電気ケトル", "electronics", 1, "8800"), ("JP-TWL-02", "今治タオル", "home", 4, "1650")],
    ),
    # No region covers Switzerland: the default (EU) policy applies, an agent approves, and the parcel crosses
    # into the EU, so it travels with a CN23 customs declaration and a commercial invoice.
    (
        "lea.meier@example.com",
        "Lea Meier",
        "de",
        "CH",
        "CHF",
        "Bahnhofstrasse 10",
        "8001",
        "Zürich",
        [("CH-WTC-01", "Armbanduhr", "electronics", 1, "349.00"), ("CH-SCF-02", "Wollschal", "apparel", 1, "89.00")],
    ),
    (
        "wang.fang@example.com",
        "王芳",
        "zh-hans",
        "CN",
        "CNY",
        "南京东路100号",
        "200001",
        "上海市",
        [("CN-PHN-01", "手机壳", "electronics", 2, "79.00"), ("CN-TEA-02", "龙井茶", "perishable", 1, "268.00")],
    ),
]


# Days since delivery of the recent orders: all inside China's 7-day window, the shortest of the demo.
RECENT_DAYS = (2, 3, 4)

# Typical HS codes and unit weights per category, for the customs documents of cross-border returns.
CUSTOMS = {
    "apparel": ("620293", 900),
    "footwear": ("640411", 800),
    "electronics": ("851830", 350),
    "home": ("940520", 2500),
    "books": ("490199", 600),
    "cosmetics": ("330499", 120),
    "personalised": ("691200", 400),
    "perishable": ("090210", 250),
}


def _staff():
    for username, password, role, first_name in STAFF:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name, "is_staff": True}
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=role))
    return User.objects.get(username="agent")


def _regions(admin_user):
    for code, name, countries, fields in REGIONS:
        region, _ = Region.objects.get_or_create(code=code, defaults={"name": name})
        for country in countries:
            RegionCountry.objects.get_or_create(country=country, defaults={"region": region})
        if not ReturnPolicy.objects.filter(region=region).exists():
            defaults = {
                "auto_approve": True,
                "resolutions": ["refund", "store_credit", "exchange", "repair", "replacement"],
                "store_credit_bonus_percent": 10,
            }
            draft = policy_create_draft(region=region, **{**defaults, **fields})
            policy_publish(policy=draft, actor=admin_user, note="Demo policy")
    for name, address, country, territory, served, fallback in RETURN_CENTERS:
        ReturnCenter.objects.get_or_create(
            name=name,
            defaults={"address": address, "country": country, "customs_territory": territory,
                      "countries_served": served, "is_fallback": fallback},
        )  # fmt: skip


# The catalogue: sizes for clothes and shoes, two colours for everything (named in the shop's language).
SIZES = {"apparel": ["S", "M", "L", "XL"], "footwear": ["39", "40", "41", "42", "43"]}
COLOURS = {
    "it": ("Blu", "Verde"), "ro": ("Albastru", "Verde"), "de": ("Blau", "Grün"), "fr": ("Bleu", "Vert"),
    "en": ("Blue", "Green"), "ja": ("青", "緑"), "zh-hans": ("蓝色", "绿色"),
}  # fmt: skip
SWATCHES = ("blue", "green")


def _catalog():
    """Each demo product with its variants: the ordered ones (the order lines' SKUs, in stock) and other sizes and
    colours, the second colour 10 % dearer, one of them sold out. Order lines link to them by SKU."""
    for _email, _name, language, _country, currency, *_address, products in CUSTOMERS:
        colours = COLOURS.get(language, COLOURS["en"])
        step = Decimal(1).scaleb(-get_currency_precision(currency))
        for sku, name, category, _quantity, price in products:
            product, created = Product.objects.get_or_create(
                handle=sku, defaults={"name": name, "category": category, "image_url": static("catalog/demo/blue.svg")}
            )
            if not created:
                continue
            sizes = SIZES.get(category, [""])
            ordered = {
                (sizes[min(1, len(sizes) - 1)], 0): f"{sku}-1001",
                (sizes[min(2, len(sizes) - 1)], 0): f"{sku}-0901",
            }
            for size in sizes:
                for colour in (0, 1):
                    options = {"size": size, "colour": colours[colour]} if size else {"colour": colours[colour]}
                    Variant.objects.get_or_create(
                        sku=ordered.get((size, colour)) or f"{sku}-{size or 'U'}-{SWATCHES[colour].upper()}",
                        defaults={
                            "product": product,
                            "options": options,
                            "image_url": static(f"catalog/demo/{SWATCHES[colour]}.svg"),
                            "price": (Decimal(price) * (Decimal("1.1") if colour else 1)).quantize(step),
                            "currency": currency,
                            "stock": 0 if (size == sizes[0] and colour == 1) else 4,
                        },
                    )


def _orders(today: datetime.date):
    orders = []
    for index, (email, name, language, country, currency, street, postcode, city, products) in enumerate(CUSTOMERS):
        customer, _ = Customer.objects.get_or_create(
            email=email, defaults={"name": name, "language": language, "country": country}
        )
        # A recent order (inside even the shortest window, 7 days) and an older one (past every change-of-mind
        # window, still under the legal guarantee), per customer.
        for suffix, delivered_days_ago in (("1001", RECENT_DAYS[index % len(RECENT_DAYS)]), ("0901", 45 + index * 2)):
            number = f"{country}-{suffix}"
            delivered = today - datetime.timedelta(days=delivered_days_ago)
            ordered = delivered - datetime.timedelta(days=3)
            order, created = Order.objects.get_or_create(
                number=number,
                defaults={
                    "customer": customer,
                    "currency": currency,
                    "ordered_on": ordered,
                    "delivered_on": delivered,
                    "ship_name": name,
                    "ship_street": street,
                    "ship_postcode": postcode,
                    "ship_city": city,
                    "ship_country": country,
                },
            )
            if not created and (order.delivered_on, order.ordered_on) != (delivered, ordered):
                # Loaded on an earlier day: the same distance from today, so what the README says stays true.
                Order.objects.filter(pk=order.pk).update(delivered_on=delivered, ordered_on=ordered)
                order.delivered_on, order.ordered_on = delivered, ordered
            if created:
                for sku, product, category, quantity, price in products:
                    hs_code, grams = CUSTOMS.get(category, ("", None))
                    OrderLine.objects.create(
                        order=order,
                        sku=f"{sku}-{suffix}",
                        name=product,
                        category=category,
                        quantity=quantity,
                        unit_price=Decimal(price),
                        hs_code=hs_code,
                        weight_grams=grams,
                        origin_country=country if country in {"IT", "CN", "JP", "DE", "FR"} else "CN",
                        variant=Variant.objects.filter(sku=f"{sku}-{suffix}").first(),
                    )
            orders.append(order)
    return orders


# What a demo customer writes about a fault, in their own language.
PROBLEMS = {
    "it": "Da tre giorni non si accende più, anche dopo averlo caricato tutta la notte.",
    "ro": "De trei zile nu mai pornește, nici după ce l-am încărcat toată noaptea.",
    "de": "Seit drei Tagen lässt es sich nicht mehr einschalten, auch nicht nach einer Nacht am Ladegerät.",
    "fr": "Depuis trois jours, il ne s'allume plus, même après une nuit en charge.",
    "es": "Desde hace tres días no se enciende, ni siquiera tras cargarlo toda la noche.",
    "ja": "3日前から電源が入りません。一晩充電しても同じです。",
    "zh-hans": "三天前开始无法开机，充电一整夜后也一样。",
    "ar": "منذ ثلاثة أيام لا يعمل، حتى بعد شحنه طوال الليل.",
    "en": "It has not switched on for three days, even after charging it overnight.",
}


def _file(number: str, *, reason="too_small", resolution="refund", wish="", line_index=0, variant=""):
    order = Order.objects.get(number=number)
    line = list(order.lines.all())[line_index]
    problem = PROBLEMS.get(order.customer.language, PROBLEMS["en"]) if reason in services.PROBLEM_REASONS else ""
    request = services.ItemRequest(
        order_line=line, quantity=1, reason=reason, resolution=resolution, exchange_wish=wish, problem=problem,
        exchange_variant=Variant.objects.get(sku=variant) if variant else None,
    )  # fmt: skip
    return services.case_open(customer=order.customer, items=[request], language=order.customer.language)


def _inspect(case, agent):
    for item in ReturnCase.objects.get(pk=case.pk).items.all():
        services.item_inspect(item=item, actor=agent, grade="good", disposition="restock")


def _cases(agent, supervisor):
    """Cases of every kind in different states, filed and moved through the real services."""
    if ReturnCase.objects.exists():
        return

    def step(case, name, **kwargs):
        fn = getattr(services, name if name.startswith("case_") else f"case_{name}")
        fn(case=ReturnCase.objects.get(pk=case.pk), actor=agent, **kwargs)

    done = _file("DE-1001")  # refunded and closed
    step(done, "mark_received")
    _inspect(done, agent)
    step(done, "refund")
    step(done, "close")
    received = _file("FR-1001")  # waiting for inspection
    step(received, "mark_received")
    step(_file("US-1001"), "mark_in_transit")  # on its way back
    _file("RO-1001")  # label issued
    # An exchange from the catalogue (the same jacket one size up, kept in stock for it), inspected.
    exchange = _file("IT-1001", resolution="exchange", variant="IT-JKT-01-0901")
    step(exchange, "mark_received")
    _inspect(exchange, agent)
    warranty = _file("JP-0901", reason="defective", resolution="repair")  # warranty claim in review
    services.case_request_info(
        case=ReturnCase.objects.get(pk=warranty.pk), actor=agent, question="When did the kettle stop heating?"
    )
    cross_border = _file("CH-1001")  # default region: waits for an agent; then CN23 and invoice travel with it
    step(cross_border, "approve")


def _order_described(order: Order, today: datetime.date) -> str:
    """What a demo order shows today, from its data: its return, or until when its items can go back."""
    case = ReturnCase.objects.filter(items__order_line__order=order).distinct().first()
    if case is not None:
        return f"return {case.rma_number}: " + f"{case.get_kind_display()}, {case.get_status_display()}".lower()
    country, returns, faults = order.customer.country, [], []
    for line in order.lines.all():
        for reason, found in (("too_small", returns), ("defective", faults)):
            decision = services.item_decision(order_line=line, reason=reason, country=country, today=today)[1]
            if decision.eligible and decision.deadline:
                found.append(decision.deadline)
    if returns:
        return f"change-of-mind return possible until {max(returns):%Y-%m-%d}"
    said = "no change-of-mind return" if order.number.endswith("1001") else "past the change-of-mind window"
    if faults:
        said += f"; faults under the legal guarantee until {max(faults):%Y-%m-%d}"
    if country in EU_MEMBER_STATES:
        said += "; a late EU withdrawal"
    return said


def demo_orders_described(orders: list[Order], today: datetime.date) -> list[tuple[Order, str]]:
    return [(order, _order_described(order, today)) for order in orders]


# Who takes cases in automatic assignment: username, languages read, regions covered (none: all), available.
TEAM = [
    ("agent", ["ar", "de", "en", "es", "fr", "it", "ja", "ro", "zh-hans"], [], True),
    # The supervisor reads a few languages and steps in when the agent is away (Team availability page).
    ("supervisor", ["de", "en", "it"], ["EU"], False),
]


def _team():
    """Agents available with their languages before any case is filed, so automatic assignment runs as it would
    live. A profile a supervisor has changed since is left as it is."""
    for username, languages, regions, available in TEAM:
        AgentProfile.objects.get_or_create(
            user=User.objects.get(username=username),
            defaults={"languages": languages, "regions": regions, "available": available, "max_open_cases": 40},
        )


def demo_load() -> dict:
    """Not one transaction: each service commits, so labels render (in-process) as they would live."""
    roles.roles_ensure()
    agent = _staff()
    _regions(User.objects.get(username="policyadmin"))
    _catalog()
    today = timezone.localdate()
    orders = _orders(today)
    _team()
    _cases(agent, User.objects.get(username="supervisor"))
    canned_replies_demo_load()
    # Cases approved at filing skip assignment then; they are given out like the supervisor's button does.
    services.cases_auto_assign_waiting()
    analytics_demo_load()
    gift_order = Order.objects.get(number="IT-1001")
    gift_code = gifts.gift_code_text(gifts.gift_code_current(order=gift_order))
    return {"staff": STAFF, "orders": demo_orders_described(orders, today), "gift": (gift_order, gift_code)}
