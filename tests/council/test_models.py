from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from council.dx.notation import parse_headcount, parse_policy
from council.models import (
    DXStructure,
    Municipality,
    ReportingPeriod,
    StatusReport,
    local_government_check_digit,
    validate_local_government_code,
)
from council.wareki import wareki_date, wareki_fiscal_year, wareki_month_end

DOMAIN_CODES = {
    "35000": "山口県",
    "35201": "下関市",
    "35202": "宇部市",
    "35203": "山口市",
    "35204": "萩市",
    "35206": "防府市",
    "35207": "下松市",
    "35208": "岩国市",
    "35210": "光市",
    "35211": "長門市",
    "35212": "柳井市",
    "35213": "美祢市",
    "35215": "周南市",
    "35216": "山陽小野田市",
    "35305": "周防大島町",
    "35321": "和木町",
    "35341": "上関町",
    "35343": "田布施町",
    "35344": "平生町",
    "35502": "阿武町",
}


@pytest.mark.parametrize(
    ("code5", "expected"), [("35000", 1), ("35204", 7), ("35201", 2), ("13101", 6), ("01100", 2)]
)
def test_check_digit_matches_published_codes(code5, expected):
    # 350001 山口県, 352047 萩市, 352012 下関市, 131016 千代田区, 011002 札幌市
    assert local_government_check_digit(code5) == expected


@pytest.mark.parametrize("bad", ["352048", "35204", "3520477", "35204a", ""])
def test_wrong_codes_are_refused_in_japanese(bad):
    with pytest.raises(ValidationError) as info:
        validate_local_government_code(bad)
    assert "団体コード" in info.value.messages[0]


def test_seed_has_the_prefecture_and_its_19_municipalities_in_the_materials_order(seeded):
    municipalities = list(Municipality.objects.reporting().filter(prefecture=seeded))
    assert len(municipalities) == 19
    assert [m.name for m in municipalities] == [n for c, n in DOMAIN_CODES.items() if c != "35000"]
    assert {m.code[:5]: m.name for m in Municipality.objects.all()} == DOMAIN_CODES
    for m in Municipality.objects.all():
        validate_local_government_code(m.code)
    assert Municipality.objects.filter(kind="city").count() == 13
    assert Municipality.objects.filter(kind="town").count() == 6


def test_municipality_full_clean_refuses_code_of_another_prefecture(seeded):
    m = Municipality(code="131016", name="千代田区", slug="chiyoda", kind="ward", prefecture=seeded)
    with pytest.raises(ValidationError) as info:
        m.full_clean()
    assert "都道府県" in str(info.value)


def test_a_municipality_needs_a_prefecture_in_the_database(seeded):
    with pytest.raises(IntegrityError), transaction.atomic():
        Municipality.objects.create(code="352209", name="架空市", slug="kakuu", kind="city")


def test_one_report_per_municipality_and_period(seeded):
    report = StatusReport.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusReport.objects.create(municipality=report.municipality, period=report.period)


def test_period_labels_in_wareki(seeded):
    p = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    assert p.label == "令和5年度 第1四半期"
    assert p.as_of_label == "令和5年6月末"
    assert ReportingPeriod.objects.get(fiscal_year=2022, quarter=4).as_of_label == "令和5年3月末"
    assert p.bounds == (date(2023, 4, 1), date(2023, 6, 30))
    assert ReportingPeriod(fiscal_year=2022, quarter=4).bounds == (date(2023, 1, 1), date(2023, 3, 31))


def test_period_as_of_outside_its_quarter_is_refused(db):
    p = ReportingPeriod(fiscal_year=2023, quarter=1, as_of=date(2023, 12, 31))
    with pytest.raises(ValidationError) as info:
        p.full_clean()
    assert "時点" in str(info.value)


def test_wareki():
    assert wareki_date(date(2023, 5, 11)) == "令和5年5月11日(木)"
    assert wareki_date(date(2019, 5, 1)) == "令和元年5月1日(水)"
    assert wareki_date(date(2019, 4, 30)) == "平成31年4月30日(火)"
    assert wareki_fiscal_year(2023) == "令和5年度"
    assert wareki_fiscal_year(2019) == "令和元年度"
    assert wareki_fiscal_year(2018) == "平成30年度"
    assert wareki_month_end(date(2023, 3, 31)) == "令和5年3月末"


def test_notation_round_trips():
    assert parse_headcount("○(2名)") == (True, 2)
    assert parse_headcount("○") == (True, None)
    assert parse_headcount("") == (False, None)
    assert parse_policy("R5予定") == ("planned", 2023)
    assert parse_policy("○") == ("established", None)
    with pytest.raises(ValidationError):
        parse_headcount("たくさん")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"external_talent_count": -1, "has_external_talent": True}, "external_talent_count"),
        ({"external_talent_count": 0, "has_external_talent": True}, "external_talent_count"),
        ({"external_talent_count": 5000, "has_external_talent": True}, "external_talent_count"),
        ({"external_talent_count": 2, "has_external_talent": False}, "external_talent_count"),
        ({"it_hires_count": 3, "has_it_hires": False}, "it_hires_count"),
        ({"policy": "planned", "policy_planned_fiscal_year": None}, "policy_planned_fiscal_year"),
        ({"policy": "established", "policy_planned_fiscal_year": 2024}, "policy_planned_fiscal_year"),
    ],
)
def test_dx_validation_messages(seeded, changes, field):
    dx = DXStructure.objects.first()
    for name, value in changes.items():
        setattr(dx, name, value)
    with pytest.raises(ValidationError) as info:
        dx.full_clean()
    assert field in info.value.message_dict
    assert all(
        any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in m)
        for m in info.value.message_dict[field]
    )


def test_dx_database_constraint_backs_up_validation(seeded):
    dx = DXStructure.objects.first()
    dx.has_external_talent = False
    dx.external_talent_count = 3
    with pytest.raises(IntegrityError), transaction.atomic():
        dx.save()


def test_seed_keeps_history(seeded):
    report = StatusReport.objects.get(municipality__slug="hagi", period__fiscal_year=2022)
    assert [h.status for h in report.history.order_by("history_date")][-1] == "approved"
    assert [e.action for e in report.events.all()] == ["create", "submit", "approve"]
