"""What changed against the last approved report, section by section, for every agenda app."""

from decimal import Decimal

import pytest

from council import selectors, services
from council.framework import registry
from council.framework.comparison import Change, SummaryRow, compare, compare_reports
from council.models import StatusReport
from tests.factories import ReportingPeriodFactory


@pytest.fixture
def draft(hagi, q1):
    """萩市's 2023-Q1 draft, carried forward from its approved 2022-Q4 report."""
    return services.report_start(municipality=hagi, period=q1, user=None)


def write(report, key, data):
    section = registry.sections.get(key)
    current = section.instance_for(report)
    services.section_save(
        report=report,
        section=section,
        data=data,
        expected_version=current.version if current else 0,
        user=None,
    )


def approve_and_start_next(report):
    """Approve `report` (as the system) and start the organisation's report for a later period."""
    services.report_submit(report=report, user=None)
    services.report_approve(report=report, user=None)
    return services.report_start(municipality=report.municipality, period=ReportingPeriodFactory(), user=None)


def section_of(report, key):
    changes = selectors.report_changes(report=report)
    return next(c for c in changes.sections if c.spec.key == key), changes.previous


def changed(comparison):
    return {(c.label, c.old, c.new, c.kind) for c in comparison.changes}


def test_the_previous_report_is_the_last_approved_one_before_this_period(draft, hagi):
    previous = selectors.previous_approved_report(report=draft)
    assert (previous.municipality, previous.period.label) == (hagi, "令和4年度 第4四半期")
    q4 = StatusReport.objects.get(municipality=hagi, period__fiscal_year=2022, period__quarter=4)
    assert selectors.previous_approved_report(report=q4).period.label == "令和3年度 第4四半期"
    first = StatusReport.objects.filter(municipality=hagi).order_by("period__fiscal_year").first()
    assert selectors.previous_approved_report(report=first) is None


def test_a_carried_forward_draft_has_not_changed(draft):
    changes = selectors.report_changes(report=draft)
    carried = [c for c in changes.sections if c.old is not None]
    assert {c.spec.key for c in carried} == {"standardization", "online_procedures", "dx"}
    assert all(c.is_unchanged and c.summary == "変更なし" for c in carried)
    assert changes.changed_count == 0


def test_dx_fields_old_to_new(draft):
    write(
        draft,
        "dx",
        {
            "department": "デジタル推進課",
            "policy": "planned",
            "policy_planned_fiscal_year": 2024,
            "promotion_body": "萩市DX推進本部",
            "has_external_talent": True,
            "external_talent_count": 2,
            "has_it_hires": True,
            "it_hires_count": 1,
        },
    )
    dx, _ = section_of(draft, "dx")
    assert changed(dx) == {
        ("担当所属", "DX推進室", "デジタル推進課", "changed"),
        ("全体方針の策定", "策定済", "策定予定", "changed"),
        ("策定予定年度", "", "令和6年度", "added"),
        ("外部人材確保（CIO補佐官等）", "いいえ", "はい", "changed"),
        ("外部人材の人数", "", "2名", "added"),
    }
    assert dx.summary == "5か所を変更"
    assert {c.label for c in dx.unchanged} == {
        "全庁的なDX推進体制あり",
        "全庁的なDX推進体制",
        "情報職の採用",
        "情報職の人数",
    }


def test_standardization_step_rows_old_to_new(draft):
    from standardization.models import Operation, Step

    steps = {s.name: s.pk for s in Step.objects.all()}
    operations = list(Operation.objects.order_by("order")[:2])
    write(
        draft,
        "standardization",
        {
            "note": "RFIは延期",
            "steps": [
                {"step_id": steps["推進体制の立ち上げ"], "operations_done": 20},
                {"step_id": steps["RFI資料の作成"], "operations_done": 18, "partial": True},
                {"step_id": steps["現行システムの概要調査"], "operation_ids": [o.pk for o in operations]},
            ],
        },
    )
    std, _ = section_of(draft, "standardization")
    names = "、".join(o.name for o in operations)
    assert changed(std) == {
        ("補足", "", "RFIは延期", "added"),
        ("RFI資料の作成: 完了した業務数", "20", "18", "changed"),
        ("RFI資料の作成: 一部", "", "はい", "added"),
        ("RFIの実施: 完了した業務数", "20", "", "removed"),
        ("現行システムの概要調査: 完了した業務数", "", "2", "added"),
        ("現行システムの概要調査: 完了した業務", "", names, "added"),
    }
    assert {c.group for c in std.changes if c.label != "補足"} == {"ステップの進捗"}
    # rows keep the order of the steps, a removed step where it was
    labels = [c.label for c in std.rows]
    assert labels.index("RFI資料の作成: 完了した業務数") < labels.index("RFIの実施: 完了した業務数")


def test_online_procedures_count_and_ticked_procedures(draft):
    from online_procedures.models import Procedure

    ticked = list(Procedure.objects.order_by("order")[:2])
    write(draft, "online_procedures", {"available_count": None, "procedure_ids": [p.pk for p in ticked]})
    online, _ = section_of(draft, "online_procedures")
    assert changed(online) == {
        ("マイナポータル利用手続数", "26", "2", "changed"),
        (ticked[0].name, "", "あり", "added"),
        (ticked[1].name, "", "あり", "added"),
    }
    assert {c.group for c in online.changes} == {"", "利用できる手続"}


def test_rpa_runs_and_hours_per_scenario(draft, hagi):
    from rpa.models import Participation, Scenario, active_scenario_ids

    first = min(active_scenario_ids(hagi.pk))
    second = Scenario.objects.exclude(pk=first).first().pk
    Participation.objects.create(scenario_id=second, municipality=hagi, since_fiscal_year=2023, order=99)
    write(
        draft,
        "rpa",
        {
            "note": "",
            "usage": [{"scenario_id": first, "runs": 10, "hours_saved": Decimal("5.5")}],
            "requests": [],
        },
    )
    later = approve_and_start_next(draft)
    write(
        later,
        "rpa",
        {
            "note": "繁忙期",
            "usage": [
                {"scenario_id": first, "runs": 12, "hours_saved": Decimal("5.5")},
                {"scenario_id": second, "runs": 3, "hours_saved": Decimal("1.0")},
            ],
            "requests": [],
        },
    )
    rpa, previous = section_of(later, "rpa")
    assert previous == draft
    one, two = str(Scenario.objects.get(pk=first)), str(Scenario.objects.get(pk=second))
    assert changed(rpa) == {
        ("補足", "", "繁忙期", "added"),
        (f"{one}: 実行回数", "10", "12", "changed"),
        (f"{two}: 実行回数", "", "3", "added"),
        (f"{two}: 削減時間（時間）", "", "1.0", "added"),
    }
    assert [c.label for c in rpa.unchanged] == [f"{one}: 削減時間（時間）"]


def test_rpa_requests_compare_without_the_approvals_bookkeeping(draft, hagi):
    from rpa.models import Scenario, active_scenario_ids

    other = Scenario.objects.exclude(pk__in=active_scenario_ids(hagi.pk)).first()
    write(draft, "rpa", {"note": "", "usage": [], "requests": [{"scenario_id": other.pk, "action": "join"}]})
    later = approve_and_start_next(draft)  # approving applies the request (applied=True)
    write(later, "rpa", {"note": "", "usage": [], "requests": []})
    rpa, _ = section_of(later, "rpa")
    assert changed(rpa) == {(f"{other}: 申請", "利用開始", "", "removed")}


def test_analog_review_counts_by_type_and_status(draft):
    from analog_review.models import RegulationType

    visual, onsite = RegulationType.objects.order_by("order")[:2]
    write(
        draft,
        "analog_review",
        {
            "blockers": "",
            "counts": [
                {"regulation_type_id": visual.pk, "status": "identified", "count": 5},
                {"regulation_type_id": onsite.pk, "status": "identified", "count": 2},
            ],
        },
    )
    later = approve_and_start_next(draft)
    write(
        later,
        "analog_review",
        {
            "blockers": "人員不足",
            "counts": [
                {"regulation_type_id": visual.pk, "status": "identified", "count": 3},
                {"regulation_type_id": visual.pk, "status": "assessed", "count": 2},
                {"regulation_type_id": onsite.pk, "status": "identified", "count": 2},
            ],
        },
    )
    analog, _ = section_of(later, "analog_review")
    assert changed(analog) == {
        ("進める上での課題", "", "人員不足", "added"),
        (f"{visual.name}・洗い出し: 件数", "5", "3", "changed"),
        (f"{visual.name}・該非判断済: 件数", "", "2", "added"),
    }


@pytest.mark.parametrize("key", [spec.key for spec in registry.sections.all()])
def test_every_section_reads_as_labelled_values(key, draft, hagi):
    """Every registered section summarises to labelled rows with the generic default or its own,
    and a section compared with itself has no change."""
    spec = registry.sections.get(key)
    instance = spec.instance_for(draft) or spec.model._default_manager.create(report=draft)
    rows = spec.model.summaries([instance])[0]
    assert all(isinstance(r, SummaryRow) and r.label and r.key for r in rows)
    assert len({r.key for r in rows}) == len(rows)  # keys identify rows
    assert not [c for c in compare(rows, rows) if c.kind != "same"]


def test_summaries_take_the_same_queries_for_any_number_of_rows(draft, count_queries):
    from standardization.models import StandardizationProgress, Step

    one = StandardizationProgress.objects.get(report=draft)
    few = count_queries(lambda: StandardizationProgress.summaries([one]))
    write(
        draft,
        "standardization",
        {"note": "", "steps": [{"step_id": s.pk, "operations_done": 3} for s in Step.objects.all()]},
    )
    many = count_queries(lambda: StandardizationProgress.summaries([one]))
    assert many == few


def test_the_comparison_of_a_report_takes_the_same_queries_whatever_it_holds(draft, count_queries):
    from standardization.models import Step

    previous = selectors.previous_approved_report(report=draft)
    before = count_queries(lambda: compare_reports(draft, previous))
    write(
        draft,
        "standardization",
        {"note": "x", "steps": [{"step_id": s.pk, "operations_done": 3} for s in Step.objects.all()]},
    )
    assert count_queries(lambda: compare_reports(draft, previous)) == before


def test_without_a_previous_report_every_value_is_new(hagi, draft):
    first = StatusReport.objects.filter(municipality=hagi).order_by("period__fiscal_year").first()
    assert selectors.previous_approved_report(report=first) is None
    changes = selectors.report_changes(report=first)
    assert changes.previous is None
    assert all(c.kind == "added" for s in changes.sections for c in s.rows)


def test_compare_orders_removed_rows_where_they_were():
    old = [SummaryRow("a", "A", "1"), SummaryRow("b", "B", "2"), SummaryRow("c", "C", "3")]
    new = [SummaryRow("a", "A", "1"), SummaryRow("c", "C", "4"), SummaryRow("d", "D", "5")]
    assert compare(old, new) == [
        Change("", "A", "1", "1"),
        Change("", "B", "2", ""),
        Change("", "C", "3", "4"),
        Change("", "D", "", "5"),
    ]
    assert [c.kind for c in compare(old, new)] == ["same", "removed", "changed", "added"]
    # rows empty on both sides are not rows
    assert compare([SummaryRow("e", "E", "")], [SummaryRow("e", "E", "")]) == []
