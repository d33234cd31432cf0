"""Dates have sane bounds (1989-01-08, the first day of 平成, to 2100-12-31): forms and the admin
refuse others (see the bad-input suite), 和暦 formatting never raises, and a date outside the bounds
that is already stored shows as an ISO date instead of a 500."""

from datetime import UTC, date, datetime, timedelta

import pytest

from council import wareki
from council.dates import EARLIEST, LATEST, validate_date_in_range


def every_few_days():
    day = date.min
    while True:
        yield day
        try:
            day += timedelta(days=997)  # a prime stride: every month and weekday comes up
        except OverflowError:
            return


EDGES = [date.min, date.max, EARLIEST - timedelta(days=1), EARLIEST, LATEST, LATEST + timedelta(days=1)]


def test_wareki_formatting_never_raises():
    for value in [*EDGES, *every_few_days()]:
        dates = [
            wareki.wareki_date(value),
            wareki.wareki_date(value, weekday=False),
            wareki.wareki_month_end(value),
            wareki.short_month_end(value),
            wareki.deadline_label(value),
            wareki.snapshot_label(value),
            wareki.wareki_fiscal_year(value.year),
            wareki.short_fiscal_year(value.year),
        ]
        times = [
            wareki.wareki_datetime(datetime.combine(value, datetime.min.time(), tzinfo=UTC)),
            wareki.wareki_datetime(datetime.combine(value, datetime.max.time(), tzinfo=UTC)),
        ]
        assert all(isinstance(text, str) and text for text in dates + times), value
        if not EARLIEST <= value <= LATEST:  # the date itself (not its year's fiscal year) in ISO
            assert not any(era in text for text in dates[:6] for era in ("令和", "平成", "昭和")), (
                value,
                dates,
            )


@pytest.mark.parametrize("year", [-1, 0, 1, 1988, 2101, 9999, 10000, 32767])
def test_fiscal_years_out_of_range_read_as_western_years(year):
    assert wareki.wareki_fiscal_year(year) == f"{year}年度"
    assert wareki.short_fiscal_year(year) == f"{year}年度"


def test_out_of_range_dates_fall_back_to_iso():
    assert wareki.wareki_date(date(1, 1, 1)) == "0001-01-01"
    assert wareki.wareki_date(date(9999, 12, 31)) == "9999-12-31"
    assert wareki.wareki_date(date(1989, 1, 7)) == "1989-01-07"  # 昭和64年: before the bounds
    assert wareki.wareki_date(date(1989, 1, 8)) == "平成元年1月8日(日)"
    assert wareki.wareki_date(date(2100, 12, 31), weekday=False) == "令和82年12月31日"
    assert wareki.wareki_date(date(2101, 1, 1)) == "2101-01-01"
    assert wareki.wareki_month_end(date(1, 1, 31)) == "0001-01-31"
    assert wareki.snapshot_label(date(9999, 12, 31)) == "9999-12-31時点"
    assert wareki.deadline_label(date(9999, 3, 31)) == "9999-03-31"
    assert wareki.wareki_datetime(datetime(9999, 12, 31, 23, 59, tzinfo=UTC)) == "9999-12-31 23:59"


def test_the_validator_takes_dates_and_datetimes():
    from django.core.exceptions import ValidationError

    for ok in (EARLIEST, LATEST, datetime(2023, 5, 11, 10, tzinfo=UTC)):
        validate_date_in_range(ok)
    for bad in (date(1, 1, 1), date(9999, 12, 31), datetime(2100, 12, 31, 20, tzinfo=UTC)):  # 2101 in Japan
        with pytest.raises(ValidationError, match="1989-01-08〜2100-12-31"):
            validate_date_in_range(bad)


@pytest.fixture
def stored_out_of_range(hagi, request):
    """Every kind of stored date set outside the bounds directly in the database, as an import or a
    script before the bounds could have stored it."""
    from analog_review.models import Provision, RegulationType
    from council.models import ActionItem, Meeting, ReportingPeriod
    from mynumber.models import Snapshot
    from rpa.models import Contract
    from standardization.models import DeadlineOverride, Operation

    value = request.param
    Provision.objects.create(
        organisation=hagi,
        reference="Z-1",
        rule_title="萩市規則",
        title="第1条",
        rule_level="rule",
        regulation_type=RegulationType.objects.first(),
        status="identified",
        target_date=value,
    )
    Contract.objects.create(kind="licence", description="保守", start=value, end=value)
    Snapshot.objects.create(as_of=value)
    ActionItem.objects.create(meeting=Meeting.objects.get(), title="確認", owner=hagi, due=value)
    DeadlineOverride.objects.create(
        municipality=hagi, operation=Operation.objects.first(), deadline=value, reason="r"
    )
    ReportingPeriod.objects.filter(fiscal_year=2023, quarter=1).update(submission_deadline=value)
    return value


PAGES = [
    ("liaison", "/"),
    ("liaison", "/reports/"),
    ("liaison", "/analog-review/inventory/"),
    ("liaison", "/analog-review/inventory.xlsx"),
    ("staff", "/analog-review/inventory/"),
    ("staff", "/reports/completeness/"),
    ("member", "/rpa/"),
    ("member", "/mynumber/"),
    ("member", "/council/actions/"),
    ("member", "/council/meetings/1/"),
    ("member", "/standardization/hagi/"),
    ("staff", "/admin/analog_review/provision/"),
    ("staff", "/admin/mynumber/snapshot/"),
    ("staff", "/admin/rpa/contract/"),
    ("staff", "/admin/council/actionitem/"),
    ("staff", "/admin/standardization/deadlineoverride/"),
]


@pytest.mark.parametrize("stored_out_of_range", [date(1, 1, 1), date(9999, 12, 31)], indirect=True, ids=str)
@pytest.mark.parametrize(("user", "url"), PAGES)
def test_a_stored_out_of_range_date_shows_as_an_iso_date(
    client, staff, liaison, member, stored_out_of_range, user, url
):
    from council.models import Meeting

    client.force_login({"staff": staff, "liaison": liaison, "member": member}[user])
    url = url.replace("/meetings/1/", f"/meetings/{Meeting.objects.get().pk}/")
    response = client.get(url)
    assert response.status_code == 200, url
    if response["Content-Type"].startswith("text/html") and not url.startswith("/admin/"):
        assert stored_out_of_range.isoformat() in response.content.decode(), url  # the admin's own format


def test_a_date_of_what_happened_is_today_at_the_latest_in_the_portal_time_zone(monkeypatch):
    """完了日（実績） and the 時点 of statistics: today (in 日本時間) is fine, tomorrow is refused, with
    the date typed and today's date in the message; planned dates have no such rule."""
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from council.dates import in_future, validate_not_in_future

    # 2026-11-26 23:30 UTC is already 2026-11-27 in Japan
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 11, 26, 23, 30, tzinfo=UTC))
    assert timezone.localdate() == date(2026, 11, 27)
    validate_not_in_future(date(2026, 11, 27))
    validate_not_in_future(None)
    assert not in_future(datetime(2026, 11, 26, 23, 0, tzinfo=UTC))  # 08:00 on the 27th in Japan
    with pytest.raises(ValidationError) as refused:
        validate_not_in_future(date(2026, 11, 28))
    assert refused.value.messages == ["未来の日付は入力できません（2026-11-28。今日は 2026-11-27 です）。"]
    assert in_future(date(2026, 11, 28)) and not in_future(date(2026, 11, 28), today=date(2026, 11, 28))
