"""The portal's sane bounds for dates: from 1989-01-08 (the first day of 平成) to 2100-12-31.

Every date a person enters (a model's date field, so the admin, model forms and the imports that call
`full_clean()`; the forms' own date fields) is checked by `validate_date_in_range`. 和暦 formatting
(`council.wareki`) names 平成 and 令和 dates inside the bounds and shows any other as an ISO date.

A date of something that has happened (a 完了日（実績）, the 時点 of statistics) is not after today in
the portal's time zone: `in_future` is that rule, `validate_not_in_future` its validator (model and
import fields). Planned dates (予定, 期限, 目標) may be in the future.
"""

import contextlib
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

EARLIEST = date(1989, 1, 8)
LATEST = date(2100, 12, 31)
RANGE_MESSAGE = f"日付は {EARLIEST:%Y-%m-%d}〜{LATEST:%Y-%m-%d} の範囲で入力してください（%(value)s）。"
FUTURE_MESSAGE = "未来の日付は入力できません（%(value)s。今日は %(today)s です）。"


def local_datetime(value: datetime) -> datetime:
    """An aware datetime in the portal's time zone (within hours of datetime.min or .max, where that
    does not exist, as it is); a naive one as it is."""
    if timezone.is_naive(value):
        return value
    with contextlib.suppress(OverflowError):
        return timezone.localtime(value)
    return value


def local_date(value: date | datetime) -> date:
    """The calendar day of a date or a datetime (aware ones in the portal's time zone)."""
    return local_datetime(value).date() if isinstance(value, datetime) else value


def in_range(value: date | datetime) -> bool:
    return EARLIEST <= local_date(value) <= LATEST


def validate_date_in_range(value: date | datetime | None) -> None:
    """A validator for date and datetime fields: refuses days outside EARLIEST..LATEST."""
    if value is not None and not in_range(value):
        raise ValidationError(
            RANGE_MESSAGE, code="date_out_of_range", params={"value": local_date(value).isoformat()}
        )


def in_future(value: date | datetime, *, today: date | None = None) -> bool:
    """Whether the day of `value` comes after `today` (by default today in the portal's time zone)."""
    return local_date(value) > (today or timezone.localdate())


def validate_not_in_future(value: date | datetime | None) -> None:
    """A validator for the date of something that has happened: refuses days after today."""
    if value is not None and in_future(value):
        raise ValidationError(
            FUTURE_MESSAGE,
            code="date_in_future",
            params={"value": local_date(value).isoformat(), "today": timezone.localdate().isoformat()},
        )
