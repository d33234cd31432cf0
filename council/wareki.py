"""和暦 (Japanese era) formatting. Dates are stored as ISO dates; users read them in 和暦."""

from datetime import date, datetime

from django.utils import timezone

# (first day of the era, name, latin initial)
ERAS = (
    (date(2019, 5, 1), "令和", "R"),
    (date(1989, 1, 8), "平成", "H"),
    (date(1926, 12, 25), "昭和", "S"),
)
WEEKDAYS = "月火水木金土日"


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def era_of(value: date) -> tuple[str, str, int]:
    """The era name, its initial and the year within the era (1 for 元年)."""
    for start, name, initial in ERAS:
        if value >= start:
            return name, initial, value.year - start.year + 1
    raise ValueError(f"{value} is before the supported eras")


def _year(n: int) -> str:
    return "元" if n == 1 else str(n)


def wareki_date(value: date | datetime | None, weekday: bool = True) -> str:
    """令和5年5月11日(木)"""
    if value is None:
        return ""
    d = _as_date(value)
    name, _, n = era_of(d)
    text = f"{name}{_year(n)}年{d.month}月{d.day}日"
    return f"{text}({WEEKDAYS[d.weekday()]})" if weekday else text


def wareki_datetime(value: datetime | None) -> str:
    """令和5年5月11日(木) 9:30"""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{wareki_date(local)} {local.hour}:{local.minute:02d}"


def wareki_month_end(value: date) -> str:
    """令和5年3月末: how the materials name an as-of date at a month's end."""
    name, _, n = era_of(value)
    return f"{name}{_year(n)}年{value.month}月末"


def wareki_fiscal_year(fiscal_year: int) -> str:
    """令和5年度 for the fiscal year that starts in April 2023 (令和元年度 = April 2019)."""
    name, _, n = era_of(date(fiscal_year, 12, 31))
    return f"{name}{_year(n)}年度"


def short_fiscal_year(fiscal_year: int) -> str:
    """R5: the initial-and-number form the materials use in tables (`R5予定`)."""
    _, initial, n = era_of(date(fiscal_year, 12, 31))
    return f"{initial}{n}"


def short_month_end(value: date) -> str:
    """R5.3月末: the materials' short as-of form (`R5.3月末時点`)."""
    _, initial, n = era_of(value)
    return f"{initial}{n}.{value.month}月末"


def deadline_label(value: date) -> str:
    """令和7年度末（令和8年3月31日）for a fiscal year's last day; the plain date otherwise."""
    if (value.month, value.day) == (3, 31):
        return f"{wareki_fiscal_year(value.year - 1)}末（{wareki_date(value, weekday=False)}）"
    return wareki_date(value, weekday=False)


def snapshot_label(value: date) -> str:
    """R5.4時点: how the materials head a column for a snapshot taken at a month's end (the state
    at the start of the next month); another date reads R5.4.15時点."""
    from datetime import timedelta

    following = value + timedelta(days=1)
    if following.day == 1:
        _, initial, n = era_of(following)
        return f"{initial}{n}.{following.month}時点"
    _, initial, n = era_of(value)
    return f"{initial}{n}.{value.month}.{value.day}時点"
