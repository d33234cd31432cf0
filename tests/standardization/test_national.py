"""The national definitions: the official rates against hand-computed cases, the materials' summary
derived from the detail, the writer's rules, and the dashboard and 団体カルテ showing both."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from council import services
from council.framework import registry
from council.models import Municipality, Target
from standardization.models import Operation, Status, Step, StepProgress, StepStatus
from standardization.notation import format_line
from standardization.rates import Rates, derive_summary, official_figures

DONE, WIP, NA, TODO = Status.DONE, Status.IN_PROGRESS, Status.NOT_APPLICABLE, Status.NOT_STARTED


def cells(org, op, **counts):
    return [{"organisation": org, "operation_id": op, "status": s, "n": n} for s, n in counts.items()]


def test_rates_of_one_operation_by_hand():
    # 10 完了済み, 5 対象外, 6 作業中, 19 未着手 (stored or not): (10 + 5) / 40 = 37.5 %
    figures = official_figures(cells(1, 7, done=10, not_applicable=5, in_progress=6), [], {1: [7]}, 40)
    rates = figures.by_operation_of[(1, 7)]
    assert (rates.completion, rates.in_progress_rate, rates.not_started_rate) == (37.5, 15.0, 47.5)
    assert rates.not_started == 19


def test_an_operation_with_every_step_not_applicable_is_complete():
    figures = official_figures(cells(1, 7, not_applicable=40), [], {1: [7]}, 40)
    rates = figures.by_operation_of[(1, 7)]
    assert (rates.completion, rates.in_progress_rate, rates.not_started_rate) == (100.0, 0.0, 0.0)


def test_an_organisation_sums_its_operations_cells_and_an_unreported_operation_is_not_started():
    # operation 7: 40 対象外; operation 8: 4 完了済み + 2 作業中; operation 9: nothing stored
    rows = cells(1, 7, not_applicable=40) + cells(1, 8, done=4, in_progress=2)
    figures = official_figures(rows, [], {1: [7, 8, 9]}, 40)
    org = figures.by_organisation[1]
    assert org == Rates(done=4, not_applicable=40, in_progress=2, cells=120)
    assert (org.completion, org.in_progress_rate, org.not_started_rate) == (
        36.7,
        1.7,
        61.7,
    )  # 44/120, 2/120, 74/120
    assert figures.by_operation_of[(1, 9)].not_started_rate == 100.0


def test_a_prefecture_total_weights_every_organisations_cells():
    # a town of 20 operations with 400 of 800 cells done, a prefecture of 2 operations with all 80 done
    rows = cells(1, 1, done=400) + cells(2, 14, done=40) + cells(2, 15, done=40)
    figures = official_figures(rows, [], {1: list(range(1, 21)), 2: [14, 15]}, 40)
    assert figures.total == Rates(done=480, cells=880)
    assert figures.total.completion == 54.5  # 480 / 880
    assert figures.by_operation[14].completion == 50.0  # the town's 0 of 40 and the prefecture's 40 of 40


def test_rows_of_operations_an_organisation_does_not_report_are_not_counted():
    figures = official_figures(cells(2, 3, done=40), [], {2: [14, 15]}, 40)
    assert figures.total.completion == 0.0


@pytest.mark.parametrize(
    ("statuses", "line"),
    [
        ([DONE] * 20, "全業務について推進体制の立ち上げ"),
        ([DONE] * 18 + [WIP] * 2, "18業務について推進体制の立ち上げ(一部)"),
        ([DONE] * 16 + [NA] * 2 + [TODO] * 2, "18業務について推進体制の立ち上げ"),
        ([WIP] * 17 + [TODO] * 3, "17業務について推進体制の立ち上げ(一部)"),  # 長門市: none complete yet
        ([DONE] * 1 + [TODO] * 19, "1業務について推進体制の立ち上げ"),
    ],
)
def test_the_summary_derived_from_the_detail_reads_as_the_materials(statuses, line):
    rows = [{"step_id": 1, "status": s, "planned_date": None, "actual_date": None} for s in statuses]
    derived = derive_summary(rows, 20)[1]
    assert format_line(derived["operations_done"], "推進体制の立ち上げ", derived["partial"], 20) == line


def test_nothing_begun_gives_no_line_and_a_step_complete_everywhere_takes_the_latest_actual_date():
    assert (
        derive_summary([{"step_id": 1, "status": TODO, "planned_date": None, "actual_date": None}], 20) == {}
    )
    rows = [
        {"step_id": 2, "status": DONE, "planned_date": date(2023, 3, 1), "actual_date": date(2023, 2, d)}
        for d in (1, 9)
    ]
    assert derive_summary(rows, 2)[2]["actual_date"] == date(2023, 2, 9)
    assert derive_summary(rows, 20)[2]["actual_date"] is None  # 18 operations not complete


# --- the writer -----------------------------------------------------------------------------------


@pytest.fixture
def draft(hagi, liaison, q1):
    return services.report_start(municipality=hagi, period=q1, user=liaison)


def save(report, user, statuses, note=""):
    section = registry.sections.get("standardization")
    current = section.instance_for(report)
    return services.section_save(
        report=report,
        section=section,
        data={"note": note, "statuses": statuses},
        expected_version=current.version if current else 0,
        user=user,
    )


def op(name):
    return Operation.objects.get(name=name).pk


def step(number):
    return Step.objects.get(number=number).pk


def cell(operation, number, status, **more):
    return {"operation_id": op(operation), "step_id": step(number), "status": status, **more}


def test_the_detail_decides_the_summary_and_not_started_cells_are_not_stored(draft, liaison):
    ops = list(Operation.objects.all())
    statuses = [
        {"operation_id": o.pk, "step_id": step(1), "status": DONE, "actual_date": date(2023, 4, 3)}
        for o in ops
    ]
    statuses += [{"operation_id": o.pk, "step_id": step(2), "status": DONE} for o in ops[:18]]
    statuses += [{"operation_id": o.pk, "step_id": step(2), "status": WIP} for o in ops[18:]]
    statuses += [{"operation_id": o.pk, "step_id": step(3), "status": TODO} for o in ops]
    save(draft, liaison, statuses)
    section = draft.standardization_standardizationprogress
    assert section.statuses.count() == 40  # the 20 未着手 of step 3 are not stored
    rows = [(r.step.name, r.operations_done, r.partial, r.actual_date) for r in section.steps.all()]
    assert rows == [
        ("推進体制の立ち上げ", 20, False, date(2023, 4, 3)),
        ("現行システムの概要調査", 18, True, None),
    ]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"status": "finished"}, "完了済み・作業中・未着手・対象外 のいずれか"),
        ({"status": DONE, "actual_date": date(2020, 1, 1)}, "標準化の手順の開始（2021-09-01）より前"),
        ({"status": DONE, "actual_date": date.today() + timedelta(days=3)}, "未来の日付"),
        ({"status": DONE, "planned_date": date(2050, 1, 1)}, "範囲"),
    ],
)
def test_bad_cells_are_refused_and_nothing_changes(draft, liaison, item, message):
    save(draft, liaison, [cell("戸籍", 1, DONE)])
    before = list(StepStatus.objects.values_list("pk", "status"))
    steps_before = list(
        StepProgress.objects.filter(progress__report=draft).values_list("step_id", "operations_done")
    )
    with pytest.raises(ValidationError) as info:
        save(draft, liaison, [cell("戸籍", 1, DONE), cell("戸籍", 2, **item)])
    assert any(message in m for m in info.value.messages), info.value.messages
    assert list(StepStatus.objects.values_list("pk", "status")) == before
    assert (
        list(StepProgress.objects.filter(progress__report=draft).values_list("step_id", "operations_done"))
        == steps_before
    )


def test_a_prefecture_reports_its_two_operations_only(seeded, staff, q1):
    report = services.report_start(municipality=seeded, period=q1, user=staff)
    save(report, staff, [cell("児童扶養手当", 1, DONE), cell("生活保護", 1, NA)])
    summary = report.standardization_standardizationprogress.steps.get()
    assert (summary.operations_done, summary.partial) == (2, False)
    with pytest.raises(ValidationError) as info:
        save(report, staff, [cell("戸籍", 1, DONE)])
    assert "この団体が報告する業務ではありません" in info.value.messages[0]


def test_with_detail_the_summary_form_may_not_change_the_counts(draft, liaison):
    save(draft, liaison, [cell("戸籍", 1, DONE)])
    section = registry.sections.get("standardization")
    current = section.instance_for(draft)
    with pytest.raises(ValidationError) as info:
        services.section_save(
            report=draft,
            section=section,
            data={"note": "", "steps": [{"step_id": step(1), "operations_done": 20}]},
            expected_version=current.version,
            user=liaison,
        )
    assert "業務×ステップの入力" in info.value.messages[0]
    services.section_save(  # the note alone, with the derived counts as they are
        report=draft,
        section=section,
        data={"note": "ベンダ調整中", "steps": [{"step_id": step(1), "operations_done": 1}]},
        expected_version=current.version,
        user=liaison,
    )
    assert section.instance_for(draft).note == "ベンダ調整中"
    assert section.instance_for(draft).statuses.count() == 1


def approve(report, liaison, staff):
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)


def test_the_next_quarter_carries_the_detail_forward(draft, liaison, staff, hagi):
    from council.models import ReportingPeriod

    save(
        draft,
        liaison,
        [cell("戸籍", 1, DONE, note="完了"), cell("戸籍", 2, WIP, planned_date=date(2023, 9, 30))],
    )
    approve(draft, liaison, staff)
    q2, _ = ReportingPeriod.objects.get_or_create(
        fiscal_year=2023, quarter=2, defaults={"as_of": date(2023, 9, 30)}
    )
    ReportingPeriod.objects.filter(pk=q2.pk).update(accepting_reports=True)
    nxt = services.report_start(municipality=hagi, period=q2, user=staff)
    copied = list(
        nxt.standardization_standardizationprogress.statuses.values_list("status", "planned_date", "note")
    )
    assert sorted(copied) == [(DONE, None, "完了"), (WIP, date(2023, 9, 30), "")]


def test_dashboard_shows_official_figures_with_the_formula_beside_the_summary(
    client, member, draft, liaison, staff
):
    statuses = [cell(o.name, n, DONE) for o in Operation.objects.all() for n in (1, 2)]
    statuses += [cell("戸籍", n, NA) for n in range(3, 41)]  # every remaining step of 戸籍 対象外
    save(draft, liaison, statuses)
    approve(draft, liaison, staff)
    Target.objects.create(app_key="standardization", title="全業務の完了", value=100, due=date(2026, 3, 31))
    client.force_login(member)
    page = client.get(reverse("standardization:dashboard") + "?period=2023-Q1").content.decode()
    assert "完了率 =（完了済み＋対象外）÷ 40" in page
    # 萩市: 20 × 2 done + 38 対象外 = 78 of 800 cells = 9.8 %; 戸籍 alone 100 %
    assert "<td>9.8%</td>" in page
    assert "全業務について現行システムの概要調査" in page  # the materials' wording, derived
    assert "業務ごとの状況から集計" in page
    assert "全業務の完了" in page and "あと90.2ポイント" in page
    karte = client.get(reverse("standardization:karte", args=["hagi"]) + "?period=2023-Q1").content.decode()
    assert 'data-kpi="official-completion">9.8%' in karte
    assert "<td>38</td>" in karte  # 戸籍: 38 対象外


def test_historical_periods_keep_the_materials_summary_labelled_as_such(client, member):
    client.force_login(member)
    page = client.get(reverse("standardization:dashboard") + "?period=2022-Q4").content.decode()
    assert "18業務について現行システムの概要調査(一部)" in page
    assert page.count("資料の集計のみ（業務ごとの内訳なし）") >= 19
    assert "業務ごと・ステップごとの状況がありません" in page


def test_steps_are_national_master_data_numbered_one_to_forty(seeded):
    numbers = list(Step.objects.exclude(number=None).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, 41))
    assert Step.objects.get(number=6).name == "RFI結果"
    assert not Step.objects.get(number=17).verified  # a placeholder, shown as unconfirmed in the admin
    assert set(Operation.objects.filter(prefecture_reports=True).values_list("name", flat=True)) == {
        "児童扶養手当",
        "生活保護",
    }
    assert Municipality.objects.get(code="350001").kind == "prefecture"
