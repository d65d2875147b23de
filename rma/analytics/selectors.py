"""Reads for the analytics dashboard: every figure comes from the summary tables, never from the cases."""

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Max, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from policies.models import Region
from policies.taxonomy import Category, Reason

from . import rules
from .models import (
    CaseMonth,
    DurationMonth,
    Grain,
    Outcome,
    ProductReturnMonth,
    ProductSalesMonth,
    ReasonDay,
    SalesDay,
    Stage,
    Watermark,
)
from .services import ALL_REGIONS, CASE_SUMS, MONEY_SUMS, REASON_COLUMNS, country_regions, region_of

PERCENTILES = (("p50", 0.5), ("p90", 0.9), ("p95", 0.95))
OUTCOME_ORDER = list(Outcome.values)


@dataclass(frozen=True)
class DashboardFilter:
    start: datetime.date  # the first day of the first month
    end: datetime.date  # the last day of the last month
    region: str = ""
    category: str = ""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text, int, percent, money (the row's "currency"), hours, ratio, date


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)


def _where(filters: DashboardFilter, countries: dict[str, str], *, grain: str | None = None, product=False) -> Q:
    """Rows of the period, category and region: of a day table at ``grain``, else of a month table."""
    if grain is None:
        q = Q(month__gte=filters.start, month__lte=filters.end)
    else:
        q = Q(grain=grain, day__gte=filters.start, day__lte=filters.end)
    if filters.category:
        q &= Q(category=filters.category)
    if product:
        q &= Q(region=filters.region or ALL_REGIONS)
    elif filters.region:
        mine = [c for c, r in countries.items() if r == filters.region]
        region_q = Q(country__in=mine)
        if filters.region == settings.DEFAULT_REGION_CODE:
            region_q |= ~Q(country__in=list(countries))
        q &= region_q
    return q


def _trunc(unit: str):
    return TruncWeek("day") if unit == "week" else None


def _bucket(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _trend_buckets(filters: DashboardFilter, unit: str) -> list[datetime.date]:
    buckets, day = [], filters.start
    while day <= filters.end:
        if unit == "day":
            buckets.append(day)
            day += datetime.timedelta(days=1)
        elif unit == "week":
            monday = day - datetime.timedelta(days=day.weekday())
            buckets.append(monday)
            day = monday + datetime.timedelta(days=7)
        else:
            buckets.append(rules.month_start(day))
            day = rules.month_end(day) + datetime.timedelta(days=1)
    return buckets


@functools.cache
def _labels(choices, language: str) -> dict[str, str]:
    return {c.value: str(c.label) for c in choices}


def _label(choices, code: str, language: str | None = None) -> str:
    """The label of a code in the active language (looked up once per language, not once per row)."""
    return _labels(choices, language or translation.get_language() or "").get(code) or code or "—"


def dashboard_figures(*, filters: DashboardFilter) -> dict:
    """Every table of the dashboard for one period, region and category (about ten queries)."""
    language = translation.get_language() or ""

    def label_of(choices, code):
        return _label(choices, code, language)

    countries = country_regions()
    region_names = dict(Region.objects.values_list("code", "name"))
    # The period is made of whole months: the month rows answer everything but trends by day or week.
    day_q = _where(filters, countries, grain=Grain.MONTH)
    month_q = _where(filters, countries)
    product_q = _where(filters, countries, product=True)
    unit = rules.trend_unit(filters.start, filters.end)
    trend_q = _where(filters, countries, grain=Grain.MONTH if unit == "month" else Grain.DAY)

    # Units sold and returned, by category and region.
    sold_cat, sold_region = defaultdict(int), defaultdict(int)
    for country, category, units in (
        SalesDay.objects.filter(day_q)
        .values("country", "category")
        .annotate(u=Sum("units"))
        .values_list("country", "category", "u")
    ):
        sold_cat[category] += units
        sold_region[region_of(country, countries)] += units
    ret_cat, ret_region, ret_reason = defaultdict(int), defaultdict(int), defaultdict(int)
    for country, category, reason, units in (
        ReasonDay.objects.filter(day_q)
        .values("country", "category", "reason")
        .annotate(u=Sum("units"))
        .values_list("country", "category", "reason", "u")
    ):
        ret_cat[category] += units
        ret_region[region_of(country, countries)] += units
        ret_reason[reason] += units
    sold, returned = sum(sold_cat.values()), sum(ret_cat.values())

    rate_columns = [
        Column("sold", _("Units sold"), "int"),
        Column("returned", _("Units returned"), "int"),
        Column("rate", _("Return rate"), "percent"),
    ]
    by_category = Table("categories", _("Return rate by category"), [Column("label", _("Category")), *rate_columns])
    for code in sorted(set(sold_cat) | set(ret_cat), key=lambda c: -ret_cat.get(c, 0)):
        by_category.rows.append({"code": code, "label": label_of(Category, code), "sold": sold_cat.get(code, 0),
                                 "returned": ret_cat.get(code, 0),
                                 "rate": rules.rate(ret_cat.get(code, 0), sold_cat.get(code, 0))})  # fmt: skip
    by_region = Table("regions", _("Return rate by region"), [Column("label", _("Region")), *rate_columns])
    for code in sorted(set(sold_region) | set(ret_region)):
        by_region.rows.append({"code": code, "label": region_names.get(code, code), "sold": sold_region.get(code, 0),
                               "returned": ret_region.get(code, 0),
                               "rate": rules.rate(ret_region.get(code, 0), sold_region.get(code, 0))})  # fmt: skip

    # Trends: the return rate, and units per reason.
    buckets = _trend_buckets(filters, unit)
    trunc = _trunc(unit)
    sold_trend, ret_trend, reason_trend = defaultdict(int), defaultdict(int), defaultdict(int)
    sales = SalesDay.objects.filter(trend_q)
    reasons_qs = ReasonDay.objects.filter(trend_q)
    if trunc is not None:
        sales, reasons_qs = sales.annotate(bucket=trunc), reasons_qs.annotate(bucket=trunc)
        bucket_field = "bucket"
    else:
        bucket_field = "day"
    for bucket, units in sales.values(bucket_field).annotate(u=Sum("units")).values_list(bucket_field, "u"):
        sold_trend[_bucket(bucket)] += units
    for bucket, reason, units in (
        reasons_qs.values(bucket_field, "reason").annotate(u=Sum("units")).values_list(bucket_field, "reason", "u")
    ):
        ret_trend[_bucket(bucket)] += units
        reason_trend[(_bucket(bucket), reason)] += units
    rate_trend = Table(
        "rate_trend", _("Return rate over time"), [Column("period", _("Period starting"), "date"), *rate_columns]
    )
    for bucket in buckets:
        rate_trend.rows.append({"period": bucket, "sold": sold_trend.get(bucket, 0),
                                "returned": ret_trend.get(bucket, 0),
                                "rate": rules.rate(ret_trend.get(bucket, 0), sold_trend.get(bucket, 0))})  # fmt: skip
    seen_reasons = [code for code in Reason.values if ret_reason.get(code)]
    reasons = Table("reasons", _("Reasons for returns"), [
        Column("label", _("Reason")),
        Column("units", _("Units returned"), "int"),
        Column("share", _("Share of returned units"), "percent"),
        Column("rate", _("Units returned for this reason per unit sold"), "percent"),
    ])  # fmt: skip
    for code in sorted(seen_reasons, key=lambda c: -ret_reason[c]):
        reasons.rows.append({"code": code, "label": label_of(Reason, code), "units": ret_reason[code],
                             "share": rules.rate(ret_reason[code], returned),
                             "rate": rules.rate(ret_reason[code], sold)})  # fmt: skip
    reason_columns = [Column(code, label_of(Reason, code), "int") for code in seen_reasons]
    reasons_over_time = Table(
        "reason_trend", _("Reasons over time"), [Column("period", _("Period starting"), "date"), *reason_columns]
    )
    for bucket in buckets:
        reasons_over_time.rows.append(
            {"period": bucket, **{code: reason_trend.get((bucket, code), 0) for code in seen_reasons}}
        )

    # Cases: outcomes, clocks, repeat requests, satisfaction and money per currency.
    sums = [*CASE_SUMS, *MONEY_SUMS]
    per_outcome = defaultdict(lambda: defaultdict(int))
    per_currency = defaultdict(lambda: defaultdict(Decimal))
    for row in (
        CaseMonth.objects.filter(month_q)
        .values("currency", "outcome")
        .annotate(**{f"s_{name}": Sum(name) for name in sums})
        .order_by()
    ):
        for name in CASE_SUMS:
            per_outcome[row["outcome"]][name] += row[f"s_{name}"] or 0
        for name in MONEY_SUMS:
            per_currency[row["currency"]][name] += row[f"s_{name}"] or Decimal(0)
        per_currency[row["currency"]]["cases"] += row["s_cases"] or 0
        per_currency[row["currency"]]["labels"] += row["s_labels"] or 0
        per_currency[row["currency"]]["labels_priced"] += row["s_labels_priced"] or 0
    totals = defaultdict(int)
    for figures in per_outcome.values():
        for name, value in figures.items():
            totals[name] += value
    cases = totals["cases"]
    resolutions = Table("resolutions", _("How cases ended"), [
        Column("label", _("Outcome")),
        Column("cases", _("Cases"), "int"),
        Column("share", _("Share of cases"), "percent"),
    ])  # fmt: skip
    for code in OUTCOME_ORDER:
        if per_outcome.get(code, {}).get("cases"):
            n = per_outcome[code]["cases"]
            resolutions.rows.append({"code": code, "label": label_of(Outcome, code), "cases": n,
                                     "share": rules.rate(n, cases)})  # fmt: skip
    money = Table("money", _("Money, per currency"), [
        Column("currency", _("Currency")),
        Column("cases", _("Cases"), "int"),
        Column("refunded", _("Refunded"), "money"),
        Column("credited", _("Kept as store credit"), "money"),
        Column("credit_bonus", _("Bonus credit given"), "money"),
        Column("kept_exchange", _("Kept through exchanges"), "money"),
        Column("kept", _("Kept in total"), "money"),
        Column("fees", _("Fees collected"), "money"),
        Column("deductions", _("Deducted for condition"), "money"),
        Column("goodwill", _("Goodwill"), "money"),
        Column("labels", _("Labels"), "int"),
        Column("label_cost", _("Label costs"), "money"),
        Column("labels_unpriced", _("Labels without a price"), "int"),
    ])  # fmt: skip
    for currency in sorted(c for c in per_currency if c):
        f = per_currency[currency]
        money.rows.append({
            "currency": currency, "cases": f["cases"], "refunded": f["refunded"], "credited": f["credited"],
            "credit_bonus": f["credit_bonus"], "kept_exchange": f["kept_exchange"],
            "kept": f["credited"] + f["kept_exchange"], "fees": f["fees"], "deductions": f["deductions"],
            "goodwill": f["goodwill"], "labels": f["labels"], "label_cost": f["label_cost"],
            "labels_unpriced": f["labels"] - f["labels_priced"],
        })  # fmt: skip
    sla = Table("sla", _("Deadlines met"), [
        Column("label", _("Deadline")),
        Column("measured", _("Cases measured"), "int"),
        Column("on_time", _("On time"), "int"),
        Column("share", _("Share on time"), "percent"),
    ])  # fmt: skip
    for code, label in (
        ("first_response", _("First response")),
        ("decision", _("Decision")),
        ("refund", _("Refund after receipt")),
    ):
        measured, on_time = totals[f"{code}_measured"], totals[f"{code}_on_time"]
        sla.rows.append({"code": code, "label": label, "measured": measured, "on_time": on_time,
                         "share": rules.rate(on_time, measured)})  # fmt: skip
    ratings = {n: totals[f"rating_{n}"] for n in range(1, 6)}
    answered = sum(ratings.values())
    satisfaction = Table("satisfaction", _("Satisfaction"), [
        Column("label", _("Rating")),
        Column("responses", _("Answers"), "int"),
        Column("share", _("Share of answers"), "percent"),
    ])  # fmt: skip
    for n in range(5, 0, -1):
        satisfaction.rows.append({"code": n, "label": pgettext_lazy("rating", "%(stars)s of 5") % {"stars": n},
                                  "responses": ratings[n], "share": rules.rate(ratings[n], answered)})  # fmt: skip
    average = sum(n * c for n, c in ratings.items()) / answered if answered else None

    # Processing times, as percentiles of the duration histograms.
    histograms = defaultdict(dict)
    for stage, bucket, n in (
        DurationMonth.objects.filter(month_q)
        .values("stage", "bucket")
        .annotate(n=Sum("cases"))
        .values_list("stage", "bucket", "n")
    ):
        histograms[stage][bucket] = n
    times = Table("times", _("Processing times"), [
        Column("label", _("Stage")),
        Column("cases", _("Cases"), "int"),
        *[Column(key, label, "hours") for key, label in (
            ("p50", _("Half within")), ("p90", _("90% within")), ("p95", _("95% within")))],
    ])  # fmt: skip
    for code in Stage.values:
        histogram = histograms.get(code, {})
        row = {"code": code, "label": label_of(Stage, code), "cases": sum(histogram.values())}
        for key, q in PERCENTILES:
            bucket = rules.percentile_bucket(histogram, q)
            row[key] = None if bucket is None else rules.bucket_hours(bucket)
            row[f"{key}_over"] = bucket == rules.OVERFLOW_BUCKET
        times.rows.append(row)

    # Products: return rate, reasons and what to fix.
    product_sold, names = defaultdict(int), {}
    for sku, category, units, name in (
        ProductSalesMonth.objects.filter(product_q)
        .values("sku", "category")
        .annotate(u=Sum("units"), n=Max("name"))
        .values_list("sku", "category", "u", "n")
    ):
        product_sold[(sku, category)] += units
        names[sku] = name
    product_reasons = defaultdict(dict)
    for row in (
        ProductReturnMonth.objects.filter(product_q)
        .values("sku", "category")
        .annotate(**{f"s_{code}": Sum(code) for code in REASON_COLUMNS})
        .order_by()
    ):
        product_reasons[(row["sku"], row["category"])] = {
            code: row[f"s_{code}"] for code in REASON_COLUMNS if row[f"s_{code}"]
        }
    products = [
        rules.ProductFigures(
            sku=sku,
            name=names.get(sku, sku),
            category=category,
            sold=product_sold.get((sku, category), 0),
            returned=sum(product_reasons.get((sku, category), {}).values()),
            reasons=product_reasons.get((sku, category), {}),
        )  # fmt: skip
        for sku, category in set(product_sold) | set(product_reasons)
    ]
    by_product = Table("products", _("Return rate by product"), [
        Column("sku", _("SKU")),
        Column("name", _("Product")),
        Column("category_label", _("Category")),
        *rate_columns,
        Column("top_reason", _("Main reason")),
    ])  # fmt: skip
    for p in sorted(products, key=lambda p: (-p.returned, -p.sold, p.sku)):
        top = max(p.reasons.items(), key=lambda pair: (pair[1], pair[0]))[0] if p.reasons else ""
        by_product.rows.append({"sku": p.sku, "name": p.name, "category": p.category,
                                "category_label": label_of(Category, p.category), "sold": p.sold,
                                "returned": p.returned, "rate": rules.rate(p.returned, p.sold),
                                "top_reason": label_of(Reason, top) if top else ""})  # fmt: skip
    fix = Table("fix", _("What to fix"), [
        Column("sku", _("SKU")),
        Column("name", _("Product")),
        Column("category_label", _("Category")),
        Column("what", _("Returned")),
        Column("rate", _("Product's return rate"), "percent"),
        Column("category_rate", _("Category's return rate"), "percent"),
        Column("times", _("Times the category's"), "ratio"),
        Column("sold", _("Units sold"), "int"),
        Column("returned", _("Units returned"), "int"),
        Column("category_sold", _("Category: units sold"), "int"),
        Column("category_returned", _("Category: units returned"), "int"),
    ])  # fmt: skip
    for line in rules.what_to_fix(products, fix_thresholds()):
        fix.rows.append({
            "sku": line.sku, "name": line.name, "category": line.category,
            "category_label": label_of(Category, line.category), "reason": line.reason or "",
            "what": label_of(Reason, line.reason) if line.reason else str(_("for any reason")),
            "rate": line.rate, "category_rate": line.category_rate, "times": line.times, "sold": line.sold,
            "returned": line.returned, "category_sold": line.category_sold,
            "category_returned": line.category_returned,
        })  # fmt: skip

    repeat = totals["repeat_cases"]
    summary = Table("summary", _("Summary"), [Column("label", _("Figure")), Column("value", _("Value"), "mixed")])
    summary.rows = [
        {"code": "cases", "label": _("Cases filed"), "value": cases, "kind": "int"},
        {"code": "sold", "label": _("Units sold"), "value": sold, "kind": "int"},
        {"code": "returned", "label": _("Units returned"), "value": returned, "kind": "int"},
        {"code": "rate", "label": _("Return rate"), "value": rules.rate(returned, sold), "kind": "percent"},
        {"code": "repeat", "label": _("Repeat requests"), "value": repeat, "kind": "int"},
        {"code": "repeat_share", "label": _("Share of cases from customers who had returned before"),
         "value": rules.rate(repeat, cases), "kind": "percent"},
        {"code": "satisfaction", "label": _("Average satisfaction (1 to 5)"), "value": average, "kind": "decimal"},
        {"code": "answers", "label": _("Survey answers"), "value": answered, "kind": "int"},
    ]  # fmt: skip
    return {
        "filters": filters,
        "unit": unit,
        "tables": {
            t.key: t
            for t in (
                summary,
                fix,
                by_category,
                by_region,
                rate_trend,
                by_product,
                reasons,
                reasons_over_time,
                resolutions,
                money,
                times,
                sla,
                satisfaction,
            )  # fmt: skip
        },
        "refreshed_at": Watermark.objects.filter(name="cases").values_list("refreshed_at", flat=True).first(),
    }


def fix_thresholds() -> rules.FixThresholds:
    """The shop's thresholds for "what to fix" (settings.ANALYTICS_FIX_THRESHOLDS), over the defaults."""
    return rules.FixThresholds(**getattr(settings, "ANALYTICS_FIX_THRESHOLDS", {}))
