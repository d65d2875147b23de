"""The analytics dashboard for supervisors and policy admins, and the CSV export of each of its tables."""

import csv
import datetime
from decimal import Decimal

from babel.lists import format_list
from babel.numbers import get_currency_precision
from babel.units import format_unit
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from returns_portal.formatting import babel_locale, format_date, format_money, format_number, format_percent

from . import charts, selectors
from .forms import DashboardFilterForm

CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Long tables show their first rows on the page; the CSV file has every row.
ROWS_ON_PAGE = {"products": 25, "fix": 20}


def _unit(value: int, unit: str, locale: str) -> str:
    # Some locales' data (ja, zh, ar) lack the long form of duration units: take the short one then.
    text = format_unit(value, unit, length="long", locale=locale)
    return format_unit(value, unit, length="short", locale=locale) if unit in text else text


def _hours(value: int | None, over: bool) -> str:
    """Hours as the reader reads them: whole hours up to two days, else days (and hours when not whole).

    Babel's ``format_timedelta`` rounds to one unit (720 h would read "4 weeks"): the units are chosen here.
    """
    if value is None:
        return "—"
    locale = babel_locale()
    days, hours = divmod(int(value), 24)
    if value < 48:
        text = _unit(value, "duration-hour", locale)
    elif hours:  # the "standard" list style: Babel's "unit" style for Arabic repeats the last item
        text = format_list([_unit(days, "duration-day", locale), _unit(hours, "duration-hour", locale)],
                           style="standard", locale=locale)  # fmt: skip
    else:
        text = _unit(days, "duration-day", locale)
    if over:
        return _("more than %(duration)s") % {"duration": text}
    return text


def _cell(value, kind: str, row: dict, column_key: str) -> str:
    """One table cell as the reader reads it, in the active locale."""
    if value is None or value == "":
        return "—"
    if kind == "int":
        return format_number(value)
    if kind == "decimal":
        return format_number(round(value, 2))
    if kind == "percent":
        return format_percent(value)
    if kind == "money":
        return format_money(value, row["currency"])
    if kind == "hours":
        return _hours(value, row.get(f"{column_key}_over", False))
    if kind == "ratio":
        return _("%(times)s×") % {"times": format_number(round(value, 1))}
    if kind == "date":
        return format_date(value, "medium")
    if kind == "mixed":
        return _cell(value, row["kind"], row, column_key)
    return str(value)


def _present(table: selectors.Table, limit: int | None = None) -> dict:
    rows = table.rows[:limit] if limit else table.rows
    numeric = {"int", "decimal", "percent", "money", "hours", "ratio", "mixed"}
    head, *rest = table.columns
    return {
        "key": table.key,
        "title": table.title,
        "columns": [{"label": c.label, "numeric": c.kind in numeric} for c in table.columns],
        # The first cell heads its row; the others carry their alignment, so the template has little to do.
        "rows": [
            {
                "head": _cell(row.get(head.key), head.kind, row, head.key),
                "cells": [(_cell(row.get(c.key), c.kind, row, c.key), c.kind in numeric) for c in rest],
            }
            for row in rows
        ],
        "more": len(table.rows) - len(rows),
    }


def _bars(table: selectors.Table, value_key: str, kind: str, label_key: str = "label") -> list[charts.Bar]:
    return [
        charts.Bar(
            label=str(row[label_key]),
            value=float(row[value_key] or 0),
            display=_cell(row[value_key], kind, row, value_key),
        )  # fmt: skip
        for row in table.rows
    ]


def _percent_axis(values) -> list[tuple[float, str]]:
    top = max([v for v in values if v is not None] or [0])
    return [(v, format_percent(v, digits=0 if v * 100 == int(v * 100) else 1)) for v in charts.nice_axis(top)]


def _count_axis(values) -> list[tuple[float, str]]:
    return [(v, format_number(v)) for v in charts.nice_axis(max([v for v in values if v is not None] or [0]))]


def _charts(figures: dict) -> dict:
    """One chart per table that reads well as a picture; its table stands beside it on the page."""
    t = figures["tables"]
    f = figures["filters"]
    period = {"start": format_date(f.start, "long"), "end": format_date(f.end, "long")}
    empty = _("No data for these filters.")
    labels = [format_date(row["period"], "short") for row in t["rate_trend"].rows]
    rates = [row["rate"] for row in t["rate_trend"].rows]
    reason_series = [
        charts.Series(name=str(column.label), values=[row[column.key] for row in t["reason_trend"].rows])
        for column in t["reason_trend"].columns[1:]
    ]
    return {
        "rate_trend": charts.line_chart(
            chart_id="chart-rate-trend",
            title=_("Return rate over time"),
            desc=_(
                "Units returned per unit sold, from %(start)s to %(end)s. The table beside the chart lists each value."
            )
            % period,  # fmt: skip
            labels=labels,
            series=[charts.Series(name=_("Return rate"), values=rates)],
            axis=_percent_axis(rates),
            empty=empty,
        ),
        "reason_trend": charts.line_chart(
            chart_id="chart-reason-trend",
            title=_("Reasons over time"),
            desc=_(
                "Units returned for each reason, from %(start)s to %(end)s, one line per reason. The table beside "
                "the chart lists each value."
            )
            % period,  # fmt: skip
            labels=labels,
            series=reason_series,
            axis=_count_axis([v for s in reason_series for v in s.values]),
            empty=empty,
        ),
        "categories": charts.bar_chart(
            chart_id="chart-categories",
            title=_("Return rate by category"),
            desc=_("Units returned per unit sold in each category. The table beside the chart lists the units."),
            bars=_bars(t["categories"], "rate", "percent"),
            empty=empty,
        ),
        "regions": charts.bar_chart(
            chart_id="chart-regions",
            title=_("Return rate by region"),
            desc=_("Units returned per unit sold in each region. The table beside the chart lists the units."),
            bars=_bars(t["regions"], "rate", "percent"),
            empty=empty,
        ),
        "reasons": charts.bar_chart(
            chart_id="chart-reasons",
            title=_("Reasons for returns"),
            desc=_("Units returned for each reason. The table beside the chart gives their shares."),
            bars=_bars(t["reasons"], "units", "int"),
            empty=empty,
        ),
        "resolutions": charts.bar_chart(
            chart_id="chart-resolutions",
            title=_("How cases ended"),
            desc=_("Cases by how they ended. The table beside the chart gives their shares."),
            bars=_bars(t["resolutions"], "cases", "int"),
            empty=empty,
        ),
        "times": charts.bar_chart(
            chart_id="chart-times",
            title=_("Processing times"),
            desc=_(
                "For each stage, the time within which half of the cases got through. The table beside the "
                "chart gives the 90th and 95th percentiles too."
            ),  # fmt: skip
            bars=[
                charts.Bar(
                    label=str(row["label"]),
                    value=float(row["p50"] or 0),
                    display=_cell(row["p50"], "hours", row, "p50"),
                )
                for row in t["times"].rows
            ],  # fmt: skip
            empty=empty,
        ),
        "sla": charts.bar_chart(
            chart_id="chart-sla",
            title=_("Deadlines met"),
            desc=_("The share of cases that met each deadline. The table beside the chart gives the counts."),
            bars=_bars(t["sla"], "share", "percent"),
            empty=empty,
        ),
        "satisfaction": charts.bar_chart(
            chart_id="chart-satisfaction",
            title=_("Satisfaction"),
            desc=_("Survey answers for each rating from 5 to 1. The table beside the chart gives their shares."),
            bars=_bars(t["satisfaction"], "responses", "int"),
            empty=empty,
        ),
    }


def _filters(request) -> tuple[DashboardFilterForm, selectors.DashboardFilter]:
    form = DashboardFilterForm(request.GET or None, today=timezone.localdate())
    return form, form.filters()


@login_required
@permission_required("analytics.view_dashboard", raise_exception=True)
def dashboard(request):
    """Return rates, reasons, outcomes, money, times, deadlines and satisfaction, with what to fix first."""
    form, filters = _filters(request)
    figures = selectors.dashboard_figures(filters=filters)
    tables = figures["tables"]
    presented = {key: _present(table, ROWS_ON_PAGE.get(key)) for key, table in tables.items()}
    template = "analytics/dashboard.html"
    if request.htmx:
        template += "#dashboard-figures"
    return render(
        request,
        template,
        {
            "form": form,
            "filters": filters,
            "tables": presented,
            "charts": _charts(figures),
            "presets": _presets(),
            "query": request.GET.urlencode(),
            "refreshed_at": figures["refreshed_at"],
        },
    )


def _presets() -> list[dict]:
    """Links to common periods: this month, the last three months, the last twelve months."""
    today = timezone.localdate()
    end = f"{today:%Y-%m}"
    presets = []
    for months, label in ((1, _("This month")), (3, _("Last 3 months")), (12, _("Last 12 months"))):
        index = today.year * 12 + today.month - months
        presets.append(
            {"label": label, "query": urlencode({"start": f"{index // 12}-{index % 12 + 1:02d}", "end": end})}
        )
    return presets


def _csv_value(value, kind: str, currency: str = ""):
    if value is None:
        return ""
    if kind == "date" and isinstance(value, datetime.date):
        return value.isoformat()
    if kind in {"percent", "ratio", "decimal"}:
        return f"{value:.6f}".rstrip("0").rstrip(".")
    if kind == "money":  # machine-readable: a plain decimal, the currency is in its own column
        # With the currency's own digits (JPY none, EUR two, KWD three), as its amounts are written everywhere;
        # a row without a currency gets Babel's default of two.
        return str(Decimal(value).quantize(Decimal(1).scaleb(-get_currency_precision(currency or ""))))
    if isinstance(value, str) and value[:1] in CSV_FORMULA_STARTS:
        return "'" + value  # an imported name could hold a spreadsheet formula (CSV injection): plain text
    return str(value)


@login_required
@permission_required("analytics.view_dashboard", raise_exception=True)
def dashboard_export(request, table):
    """One table of the dashboard, every row, as CSV: plain numbers (shares as fractions), ISO dates."""
    _form, filters = _filters(request)
    tables = selectors.dashboard_figures(filters=filters)["tables"]
    if table not in tables:
        raise Http404(_("No such table."))
    data = tables[table]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="analytics-{table}-{filters.start:%Y-%m}-{filters.end:%Y-%m}.csv"'
    )
    response.write("\ufeff")  # a byte-order mark, so spreadsheet programs read the UTF-8 (CJK, Arabic) right
    writer = csv.writer(response)
    columns = list(data.columns)
    has_codes = any("code" in row for row in data.rows)
    writer.writerow([*(["code"] if has_codes else []), *(str(c.label) for c in columns)])
    for row in data.rows:
        currency = row.get("currency", "")
        cells = [_csv_value(row.get(c.key), row.get("kind", c.kind) if c.kind == "mixed" else c.kind, currency)
                 for c in columns]  # fmt: skip
        writer.writerow([*([row.get("code", "")] if has_codes else []), *cells])
    return response
