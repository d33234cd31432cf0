from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from council import services
from council.framework import registry
from council.models import ReportingPeriod, StatusReport
from standardization.models import Operation, StandardizationProgress, Step, StepProgress
from standardization.notation import format_line, parse_line

SECTION = "standardization"


def test_master_data_is_the_materials_order(seeded):
    assert [o.name for o in Operation.objects.all()][:3] == ["児童手当", "子ども・子育て支援", "住民基本台帳"]
    assert Operation.objects.count() == 20
    assert Operation.objects.last().name == "国民年金"
    verified = [s.name for s in Step.objects.filter(verified=True)]
    assert verified == [
        "推進体制の立ち上げ",
        "現行システムの概要調査",
        "標準仕様との比較分析",
        "RFI資料の作成",
        "RFIの実施",
        "RFI結果",
        "特定個人情報保護評価",
    ]
    assert Step.objects.get(name="RFI結果").full_name == "RFI結果の分析"
    assert all(o.default_deadline == date(2026, 3, 31) for o in Operation.objects.all())


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("18業務について現行システムの概要調査(一部)", (18, "現行システムの概要調査", True)),
        ("全業務について推進体制の立ち上げ", (20, "推進体制の立ち上げ", False)),
        ("1業務について現行システムの概要調査（一部）", (1, "現行システムの概要調査", True)),
        ("18業務についてRFI結果(一部)", (18, "RFI結果", True)),
    ],
)
def test_lines_in_the_materials_wording_round_trip(line, parsed):
    assert parse_line(line, 20) == parsed
    assert format_line(*parsed, total=20) == line.replace("（一部）", "(一部)")


def test_unreadable_line_is_a_japanese_error():
    with pytest.raises(ValidationError) as info:
        parse_line("だいたい終わった", 20)
    assert "業務について" in info.value.messages[0]


def test_seed_reproduces_nagato_out_of_order(seeded):
    nagato = StandardizationProgress.objects.get(
        report__municipality__slug="nagato", report__period__fiscal_year=2022
    )
    rows = [(r.step.name, r.operations_done, r.partial) for r in nagato.steps.all()]
    assert rows == [("RFI資料の作成", 17, True)]  # reported without 推進体制の立ち上げ, and kept so


@pytest.fixture
def draft(hagi, liaison):
    q1 = ReportingPeriod.objects.get(fiscal_year=2023, quarter=1)
    return services.report_start(municipality=hagi, period=q1, user=liaison)


def save(report, user, steps, note=""):
    section = registry.sections.get(SECTION)
    current = section.instance_for(report)
    return services.section_save(
        report=report,
        section=section,
        data={"note": note, "steps": steps},
        expected_version=current.version if current else 0,
        user=user,
    )


def step_id(name):
    return Step.objects.get(name=name).pk


def test_new_report_carries_the_steps_forward(draft):
    rows = [
        (r.step.name, r.operations_done) for r in draft.standardization_standardizationprogress.steps.all()
    ]
    assert rows == [("推進体制の立ち上げ", 20), ("RFI資料の作成", 20), ("RFIの実施", 20)]


def test_ticked_operations_decide_the_count(draft, liaison):
    ops = list(Operation.objects.values_list("pk", flat=True)[:5])
    save(
        draft,
        liaison,
        [{"step_id": step_id("現行システムの概要調査"), "operations_done": 0, "operation_ids": ops}],
    )
    row = StepProgress.objects.get(progress__report=draft, step__name="現行システムの概要調査")
    assert row.operations_done == 5
    assert sorted(o.pk for o in row.operations.all()) == sorted(ops)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"operations_done": 21}, "0〜20"),
        ({"operations_done": 0, "partial": True}, "一部"),
        ({"operations_done": 3, "actual_date": date.today() + timedelta(days=30)}, "未来"),
        ({"operations_done": 3, "planned_date": date(2050, 1, 1)}, "範囲"),
    ],
)
def test_bad_step_rows_are_refused_and_nothing_changes(draft, liaison, item, message):
    before = list(
        StepProgress.objects.filter(progress__report=draft).values_list("step_id", "operations_done")
    )
    with pytest.raises(ValidationError) as info:
        save(draft, liaison, [{"step_id": step_id("現行システムの概要調査"), **item}])
    assert any(message in m for m in info.value.messages)
    assert (
        list(StepProgress.objects.filter(progress__report=draft).values_list("step_id", "operations_done"))
        == before
    )


def test_step_rows_keep_their_own_history(draft, liaison):
    save(
        draft,
        liaison,
        [
            {"step_id": step_id("推進体制の立ち上げ"), "operations_done": 20},
            {"step_id": step_id("現行システムの概要調査"), "operations_done": 4},
        ],
    )
    save(
        draft,
        liaison,
        [
            {"step_id": step_id("推進体制の立ち上げ"), "operations_done": 20},
            {"step_id": step_id("現行システムの概要調査"), "operations_done": 9},
        ],
    )
    row = StepProgress.objects.get(progress__report=draft, step__name="現行システムの概要調査")
    assert [h.operations_done for h in row.history.order_by("history_date")] == [4, 9]
    assert row.history.first().history_user == liaison
    # rows that are not sent any more are removed (and that is in the history too)
    assert not StepProgress.objects.filter(progress__report=draft, step__name="RFIの実施").exists()


def test_approved_progress_is_frozen(liaison, staff):
    approved = StatusReport.objects.get(municipality__slug="hagi", period__fiscal_year=2022)
    with pytest.raises(services.ReportLocked):
        save(approved, staff, [])
    assert approved.standardization_standardizationprogress.steps.count() == 3
