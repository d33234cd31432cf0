"""factory_boy factories for the core models.

Organisation codes are valid 全国地方公共団体コード (the sixth digit is the check digit), so a factory's
municipality passes `full_clean()`. The defaults stay clear of the seed data (山口県 and its 19
municipalities, the seeded periods) and of `council.synthetic`'s towns (local numbers from 600):

    PrefectureFactory(number=34, name="広島県", slug="hiroshima-pref")   # code 340006
    CityFactory(prefecture=hiroshima, local_number=202, name="呉市")     # code 342025
    UserFactory(username="liaison-hagi", role=Role.LIAISON, organisation=hagi)

Reports are made in the state a report starts in (作成中); move them on with `council.services`, as
everything else does.
"""

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory, Password

from council.models import (
    Municipality,
    Profile,
    ReportingPeriod,
    Role,
    StatusReport,
    local_government_check_digit,
    quarter_bounds,
)


def government_code(prefecture_number: int, local_number: int) -> str:
    """The six-digit code: prefecture number, local number, check digit (35, 204 → 352047)."""
    head = f"{prefecture_number:02d}{local_number:03d}"
    return head + str(local_government_check_digit(head))


class PrefectureFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    class Params:
        # 1–34 by default: 山口県 (35) is in the seed data
        number = factory.Sequence(lambda n: n % 34 + 1)

    code = factory.LazyAttribute(lambda o: government_code(o.number, 0))
    name = factory.LazyAttribute(lambda o: f"試験県{o.number:02d}")
    slug = factory.LazyAttribute(lambda o: f"pref-{o.number:02d}")
    kind = Municipality.Kind.PREFECTURE
    prefecture = None


class CityFactory(DjangoModelFactory):
    """A city of `prefecture` (a new prefecture unless given); local numbers 299 down to 220 by default,
    which no city of 山口県 has."""

    class Meta:
        model = Municipality

    class Params:
        local_number = factory.Sequence(lambda n: 299 - n % 80)

    prefecture = factory.SubFactory(PrefectureFactory)
    code = factory.LazyAttribute(lambda o: government_code(int(o.prefecture.code[:2]), o.local_number))
    name = factory.LazyAttribute(lambda o: f"試験市{o.code}")
    slug = factory.LazyAttribute(lambda o: f"city-{o.code}")
    kind = Municipality.Kind.CITY


class TownFactory(CityFactory):
    """A town; local numbers 499 down to 410 by default (山口県's towns are 305–502, none in that range)."""

    class Params:
        local_number = factory.Sequence(lambda n: 499 - n % 90)

    name = factory.LazyAttribute(lambda o: f"試験町{o.code}")
    slug = factory.LazyAttribute(lambda o: f"town-{o.code}")
    kind = Municipality.Kind.TOWN


class ReportingPeriodFactory(DjangoModelFactory):
    """A fiscal quarter, as of its last day; from 2030 by default (the seed data ends in 2023)."""

    class Meta:
        model = ReportingPeriod

    fiscal_year = factory.Sequence(lambda n: 2030 + n // 4)
    quarter = factory.Sequence(lambda n: n % 4 + 1)
    as_of = factory.LazyAttribute(lambda o: quarter_bounds(o.fiscal_year, o.quarter)[1])


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory("tests.factories.UserFactory")
    role = Role.MEMBER
    organisation = None


class UserFactory(DjangoModelFactory):
    """A user with password "pw" and, when `role` is given, a Profile with that role and organisation."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    class Params:
        role = None
        organisation = None

    username = factory.Sequence(lambda n: f"user{n}")
    password = Password("pw")
    portal_profile = factory.Maybe(
        "role",
        yes_declaration=factory.RelatedFactory(
            ProfileFactory,
            factory_related_name="user",
            role=factory.SelfAttribute("..role"),
            organisation=factory.SelfAttribute("..organisation"),
        ),
    )


class StatusReportFactory(DjangoModelFactory):
    """A report in its first state (作成中) of a new city for a new period, unless given."""

    class Meta:
        model = StatusReport

    municipality = factory.SubFactory(CityFactory)
    period = factory.SubFactory(ReportingPeriodFactory)
