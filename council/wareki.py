"""和暦 (Japanese era) formatting. Dates are stored as ISO dates; users read them in 和暦.

Only 平成 and 令和 dates within the portal's bounds (`council.dates`: 1989-01-08 to 2100-12-31) are
named in 和暦; any other date (one stored before the bounds existed, 0001-01-01, 9999-12-31) reads as
an ISO date and any other fiscal year as a western one: formatting never raises.
"""

import calendar
from datetime import date, datetime, timedelta

from council.dates import EARLIEST, LATEST, local_date, local_datetime

# (first day of the era, name, latin initial)
ERAS = (
    (date(2019, 5, 1), "令和", "R"),
    (EARLIEST, "平成", "H"),
)
WEEKDAYS = "月火水木金土日"


def era_of(value: date) -> tuple[str, str, int] | None:
    """The era name, its initial and the year within the era (1 for 元年); None outside the bounds."""
    if not EARLIEST <= value <= LATEST:
        return None
    for start, name, initial in ERAS:
        if value >= start:
            return name, initial, value.year - start.year + 1
    return None


def _year(n: int) -> str:
    return "元" if n == 1 else str(n)


def _fiscal_year_end(fiscal_year: int) -> date | None:
    """31 December of the fiscal year (the era it is named by), None for a year no date has."""
    return date(fiscal_year, 12, 31) if 1 <= fiscal_year <= 9999 else None


def is_month_end(value: date) -> bool:
    return value.day == calendar.monthrange(value.year, value.month)[1]


def wareki_date(value: date | datetime | None, weekday: bool = True) -> str:
    """令和5年5月11日(木); 0001-01-01 outside the bounds."""
    if value is None:
        return ""
    d = local_date(value)
    era = era_of(d)
    if era is None:
        return d.isoformat()
    name, _, n = era
    text = f"{name}{_year(n)}年{d.month}月{d.day}日"
    return f"{text}({WEEKDAYS[d.weekday()]})" if weekday else text


def wareki_datetime(value: datetime | None) -> str:
    """令和5年5月11日(木) 9:30"""
    if value is None:
        return ""
    local = local_datetime(value)
    return f"{wareki_date(local)} {local.hour}:{local.minute:02d}"


def wareki_month_end(value: date) -> str:
    """令和5年3月末: how the materials name an as-of date at a month's end."""
    era = era_of(value)
    if era is None:
        return value.isoformat()
    name, _, n = era
    return f"{name}{_year(n)}年{value.month}月末"


def wareki_fiscal_year(fiscal_year: int) -> str:
    """令和5年度 for the fiscal year that starts in April 2023 (令和元年度 = April 2019)."""
    end = _fiscal_year_end(fiscal_year)
    era = era_of(end) if end else None
    if era is None:
        return f"{fiscal_year}年度"
    name, _, n = era
    return f"{name}{_year(n)}年度"


def short_fiscal_year(fiscal_year: int) -> str:
    """R5: the initial-and-number form the materials use in tables (`R5予定`)."""
    end = _fiscal_year_end(fiscal_year)
    era = era_of(end) if end else None
    if era is None:
        return f"{fiscal_year}年度"
    _, initial, n = era
    return f"{initial}{n}"


def short_month_end(value: date) -> str:
    """R5.3月末: the materials' short as-of form (`R5.3月末時点`)."""
    era = era_of(value)
    if era is None:
        return value.isoformat()
    _, initial, n = era
    return f"{initial}{n}.{value.month}月末"


def deadline_label(value: date) -> str:
    """令和7年度末（令和8年3月31日）for a fiscal year's last day; the plain date otherwise."""
    if (value.month, value.day) == (3, 31) and era_of(value) and era_of(date(value.year - 1, 12, 31)):
        return f"{wareki_fiscal_year(value.year - 1)}末（{wareki_date(value, weekday=False)}）"
    return wareki_date(value, weekday=False)


def snapshot_label(value: date) -> str:
    """R5.4時点: how the materials head a column for a snapshot taken at a month's end (the state
    at the start of the next month); another date reads R5.4.15時点."""
    era = era_of(value)
    if era is None:
        return f"{value.isoformat()}時点"
    if is_month_end(value) and value < LATEST:
        following = value + timedelta(days=1)
        following_era = era_of(following)
        if following_era:
            _, initial, n = following_era
            return f"{initial}{n}.{following.month}時点"
    _, initial, n = era
    return f"{initial}{n}.{value.month}.{value.day}時点"
