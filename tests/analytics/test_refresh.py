"""The refresh: incremental from the watermark, only the days that changed, the same result as a rebuild."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from rma.analytics import services, tasks
from rma.analytics.models import CaseMonth, Grain, ProductReturnMonth, ProductSalesMonth, ReasonDay, SalesDay, Watermark
from rma.analytics.selectors import DashboardFilter, dashboard_figures
from rma.cases.models import CaseEvent, ReturnCase, SurveyResponse
from tests.analytics.dataset import at, build
from tests.rma.factories import OrderFactory, OrderLineFactory

pytestmark = pytest.mark.django_db

OCTOBER = DashboardFilter(start=datetime.date(2026, 10, 1), end=datetime.date(2026, 10, 31))


def summary():
    figures = dashboard_figures(filters=OCTOBER)
    return {row["code"]: row["value"] for row in figures["tables"]["summary"].rows}


def snapshot(model):
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return sorted(tuple(str(v) for v in row) for row in model.objects.values_list(*fields))


def test_first_refresh_builds_everything_and_the_second_finds_nothing_new():
    build()
    first = services.analytics_refresh()
    assert first["full"] is True and first["cases"] == 5
    assert first["months"] == 2  # September and October
    second = services.analytics_refresh()
    # No case changed; the last order lines are read again (the id overlap): their 3 order days rewritten.
    assert second == {"full": False, "cases": 0, "months": 0, "sales_days": 3, "sales_months": 2}
    assert summary()["cases"] == 4


def test_a_changed_case_rewrites_only_its_own_month():
    data = build()
    services.analytics_refresh()
    september = list(CaseMonth.objects.filter(month=datetime.date(2026, 9, 1)).values_list("id", flat=True))
    assert september
    # c4 (filed on 20 October) is decided now: an event on its timeline, as every service writes one.
    case = data["c4"]
    ReturnCase.objects.filter(pk=case.pk).update(decided_at=timezone.now(), status="approved")
    CaseEvent.objects.create(case=case, kind="transition", from_status="requested", to_status="approved",
                             actor_role="agent")  # fmt: skip
    result = services.analytics_refresh()
    # October's 4 cases are read again; September's rows are not rewritten (same ids).
    assert (result["full"], result["cases"], result["months"]) == (False, 4, 1)
    assert set(september) <= set(CaseMonth.objects.values_list("id", flat=True))
    figures = dashboard_figures(filters=OCTOBER)
    times = {row["code"]: row for row in figures["tables"]["times"].rows}
    assert times["decision"]["cases"] == 4
    outcomes = {row["code"]: row["cases"] for row in figures["tables"]["resolutions"].rows}
    assert outcomes["open"] == 1  # approved is still open


def test_a_survey_answer_is_picked_up_without_a_timeline_event():
    data = build()
    services.analytics_refresh()
    ReturnCase.objects.filter(pk=data["c3"].pk).update(status="closed")
    SurveyResponse.objects.create(case=data["c3"], rating=1)
    services.analytics_refresh()
    figures = summary()
    assert figures["answers"] == 3
    assert figures["satisfaction"] == pytest.approx((5 + 3 + 1) / 3)


def test_changes_older_than_the_watermark_and_its_overlap_are_not_read_again():
    data = build()
    services.analytics_refresh()
    old = timezone.now() - services.OVERLAP - datetime.timedelta(minutes=5)
    Watermark.objects.filter(name="cases").update(changed_since=timezone.now())
    event = CaseEvent.objects.create(case=data["c4"], kind="note", actor_role="agent")
    CaseEvent.objects.filter(pk=event.pk).update(created_at=old)
    assert services.analytics_refresh()["cases"] == 0


def test_new_orders_update_sales_and_product_tables():
    build()
    services.analytics_refresh()
    order = OrderFactory(ordered_on=datetime.date(2026, 10, 7), currency="EUR")
    OrderLineFactory(order=order, sku="A", name="Trail shoe", category="footwear", quantity=60)
    result = services.analytics_refresh()
    assert result["sales_months"] >= 1
    assert summary()["sold"] == 320
    month = ProductSalesMonth.objects.get(month=datetime.date(2026, 10, 1), sku="A", region="EU")
    assert month.units == 100  # 40 before, 60 now
    day = SalesDay.objects.get(grain=Grain.DAY, day=datetime.date(2026, 10, 7), country="IT", category="footwear")
    assert day.units == 60


def test_incremental_refreshes_end_where_a_full_rebuild_ends():
    data = build()
    services.analytics_refresh()
    ReturnCase.objects.filter(pk=data["c4"].pk).update(status="cancelled")
    CaseEvent.objects.create(case=data["c4"], kind="transition", to_status="cancelled", actor_role="agent")
    SurveyResponse.objects.create(case=data["c3"], rating=4)
    OrderLineFactory(order__ordered_on=datetime.date(2026, 9, 3), sku="D", category="home", quantity=5)
    services.analytics_refresh()
    incremental = {m: snapshot(m) for m in (CaseMonth, ReasonDay, SalesDay, ProductSalesMonth, ProductReturnMonth)}
    services.analytics_refresh(full=True)
    assert {m: snapshot(m) for m in incremental} == incremental


def test_month_rows_are_the_sums_of_the_day_rows():
    build()
    services.analytics_refresh()
    october = ReasonDay.objects.filter(grain=Grain.DAY, day__month=10)
    month = ReasonDay.objects.filter(grain=Grain.MONTH, day=datetime.date(2026, 10, 1))
    assert sum(october.values_list("units", flat=True)) == sum(month.values_list("units", flat=True)) == 13
    cases = CaseMonth.objects.filter(month=datetime.date(2026, 10, 1))
    assert sum(cases.values_list("cases", flat=True)) == 4
    assert sum(cases.values_list("refunded", flat=True)) == Decimal("400.00")
    assert ProductReturnMonth.objects.get(sku="A", month=datetime.date(2026, 10, 1), region="EU").too_small == 8
    assert ProductReturnMonth.objects.get(sku="A", month=datetime.date(2026, 10, 1), region="*").too_small == 8


def test_the_beat_task_refreshes_and_is_scheduled_on_the_sweeps_queue(settings):
    build()
    assert tasks.analytics_refresh.delay().get()["full"] is True
    assert CaseMonth.objects.exists()
    entry = settings.CELERY_BEAT_SCHEDULE["analytics-refresh"]
    assert entry["task"] == "rma.analytics.tasks.analytics_refresh" and entry["options"]["queue"] == "sweeps"
    assert settings.CELERY_TASK_ROUTES["rma.analytics.tasks.analytics_refresh"] == {"queue": "sweeps"}


def test_days_are_the_shops_days(settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    data = build()
    # c4 was filed at 12:00 UTC on 20 October: 21:00 in Tokyo, still the 20th; move it to 16:00 UTC (01:00).
    ReturnCase.objects.filter(pk=data["c4"].pk).update(created_at=at(20, 16))
    services.analytics_refresh()
    assert ReasonDay.objects.filter(grain=Grain.DAY, day=datetime.date(2026, 10, 21), country="US").exists()


def test_a_re_imported_order_that_moves_day_is_counted_once(tmp_path):
    from django.core.management import call_command

    row = ("order_number,email,customer_name,language,country,currency,ordered_on,delivered_on,ship_street,"
           "ship_postcode,ship_city,sku,product_name,category,quantity,unit_price\n"
           "IT-9,re@example.com,Re Import,it,IT,EUR,{day},2026-11-05,Via Po 3,10123,Torino,"
           "SKU-9,Giacca,apparel,7,50.00\n")  # fmt: skip
    path = tmp_path / "orders.csv"
    path.write_text(row.format(day="2026-10-10"))
    call_command("import_orders", str(path))
    services.analytics_refresh()
    path.write_text(row.format(day="2026-11-03"))  # the shop corrects the order date
    call_command("import_orders", str(path))
    services.analytics_refresh()
    incremental = {m: snapshot(m) for m in (SalesDay, ProductSalesMonth)}
    assert not SalesDay.objects.filter(grain=Grain.DAY, day=datetime.date(2026, 10, 10)).exists()
    services.analytics_refresh(full=True)
    assert {m: snapshot(m) for m in incremental} == incremental


def test_a_deadline_that_runs_out_without_any_event_is_counted():
    data = build()
    start = timezone.now()
    services.analytics_refresh(now=start)
    # A first-response clock still running, due an hour later; nothing else happens to the case.
    ReturnCase.objects.filter(pk=data["c1"].pk).update(
        first_response_due_at=start + datetime.timedelta(hours=1), first_responded_at=None
    )
    # A refresh ran half an hour later and found nothing new.
    Watermark.objects.filter(name="cases").update(changed_since=start + datetime.timedelta(minutes=30))
    later = start + datetime.timedelta(hours=2)
    services.analytics_refresh(now=later)  # the deadline ran out in between: the case's month is rebuilt
    incremental = snapshot(CaseMonth)
    services.analytics_refresh(now=later, full=True)
    assert snapshot(CaseMonth) == incremental
