"""The factories make objects the models accept, beside the seed data."""

from council.models import Municipality, ReportStatus, Role, validate_local_government_code
from tests.factories import (
    CityFactory,
    PrefectureFactory,
    ReportingPeriodFactory,
    StatusReportFactory,
    TownFactory,
    UserFactory,
    government_code,
)


def test_government_code_carries_the_check_digit():
    assert government_code(35, 204) == "352047"  # 山口県萩市, as in the materials
    assert government_code(34, 0) == "340006"  # 広島県


def test_organisations_are_valid_beside_the_seed(seeded):
    prefecture = PrefectureFactory()
    organisations = [
        prefecture,
        CityFactory(prefecture=prefecture),
        TownFactory(),
        CityFactory(prefecture=seeded),
    ]
    organisations += [TownFactory(prefecture=seeded) for _ in range(3)]
    for organisation in organisations:
        validate_local_government_code(organisation.code)
        organisation.full_clean()
    assert [o.kind for o in organisations[:3]] == ["prefecture", "city", "town"]
    assert organisations[1].code[:2] == prefecture.code[:2]
    assert Municipality.objects.filter(prefecture=seeded).count() == 19 + 4


def test_periods_and_reports_are_valid(seeded):
    period = ReportingPeriodFactory(fiscal_year=2023, quarter=2)
    assert str(period.as_of) == "2023-09-30"
    period.full_clean()
    report = StatusReportFactory()
    report.full_clean()
    assert report.status == ReportStatus.DRAFT


def test_users_get_a_profile_only_with_a_role(seeded):
    hagi = Municipality.objects.get(slug="hagi")
    liaison = UserFactory(username="liaison-x", role=Role.LIAISON, organisation=hagi)
    assert (liaison.portal_profile.role, liaison.portal_profile.organisation) == (Role.LIAISON, hagi)
    assert liaison.check_password("pw")
    assert not hasattr(UserFactory(), "portal_profile")
