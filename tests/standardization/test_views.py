from datetime import date

import pytest
from django.urls import reverse

from council import services
from council.framework import registry
from council.models import ReportingPeriod
from standardization.models import DeadlineOverride, Operation, Step, StepProgress


@pytest.fixture
def draft(hagi, liaison):
    return services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=liaison
    )


def step(name):
    return Step.objects.get(name=name)


def form_post(report, **steps):
    """POST data for the section form: the carried-forward values plus `steps` (name → dict)."""
    data = {"expected_version": report.standardization_standardizationprogress.version, "note": ""}
    for row in report.standardization_standardizationprogress.steps.all():
        data[f"s{row.step_id}_count"] = row.operations_done
        if row.partial:
            data[f"s{row.step_id}_partial"] = "on"
    for name, values in steps.items():
        s = step(name.replace("_", " "))
        for key, value in values.items():
            data[f"s{s.pk}_{key}"] = value
    return data


def test_role_matrix(client, staff, liaison, member, hagi):
    urls = {
        reverse("standardization:dashboard"): [302, 200, 200, 200],
        reverse("standardization:karte", args=["hagi"]): [302, 200, 200, 200],
        reverse("standardization:karte", args=["nosuch"]): [302, 404, 404, 404],
        reverse("standardization:export"): [302, 200, 404, 404],
        reverse("standardization:import"): [302, 200, 404, 404],
    }
    for index, user in enumerate([None, staff, liaison, member]):
        client.logout()
        if user:
            client.force_login(user)
        for url, expected in urls.items():
            assert client.get(url).status_code == expected[index], (user, url)


def test_dashboard_shows_the_material_table_and_heatmap(client, member):
    client.force_login(member)
    page = client.get(reverse("standardization:dashboard")).content.decode()
    assert "承認済みの報告 19／19団体" in page
    assert "18業務について現行システムの概要調査(一部)" in page
    assert "17業務についてRFI資料の作成(一部)" in page
    assert 'id="chart-std-heatmap"' in page and 'id="chart-std-progress"' in page
    assert "令和7年度末（令和8年3月31日）" in page


def test_liaison_updates_steps_with_a_soft_out_of_order_warning(client, liaison, draft):
    client.force_login(liaison)
    url = reverse("reports:section", args=[draft.pk, "standardization"])
    page = client.get(url).content.decode()
    assert "推進体制の立ち上げ" in page and 'type="date"' in page
    data = form_post(draft, **{"特定個人情報保護評価": {"count": "20"}})
    response = client.post(url, data, follow=True)
    text = response.content.decode()
    assert "保存しました" in text
    assert "前のステップ" in text and "順番どおりでなくても保存できます" in text  # warned, not refused
    assert (
        StepProgress.objects.get(progress__report=draft, step__name="特定個人情報保護評価").operations_done
        == 20
    )


def test_ticks_and_a_disagreeing_count_are_refused(client, liaison, draft):
    client.force_login(liaison)
    ops = list(Operation.objects.values_list("pk", flat=True)[:3])
    data = form_post(draft, **{"現行システムの概要調査": {"count": "5"}})
    data[f"s{step('現行システムの概要調査').pk}_ops"] = [str(o) for o in ops]
    response = client.post(reverse("reports:section", args=[draft.pk, "standardization"]), data)
    assert response.status_code == 400
    assert "チェックした業務（3業務）と業務数（5）が一致しません" in response.content.decode()
    assert not StepProgress.objects.filter(
        progress__report=draft, step__name="現行システムの概要調査"
    ).exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"count": "21"}, "20 以下"),
        ({"count": "-1"}, "0 以上"),
        ({"count": "abc"}, "整数を入力してください"),
        ({"count": "", "partial": "on"}, "「一部」は業務数が1以上"),
        ({"count": "3", "actual": "2099-01-01"}, "未来の日付"),
        ({"count": "3", "planned": "1999-01-01"}, "範囲"),
        ({"count": "3", "planned": "2023-13-45"}, "日付を正しく入力してください"),
    ],
)
def test_bad_values_get_japanese_messages_and_write_nothing(client, liaison, draft, values, message):
    client.force_login(liaison)
    before = list(
        StepProgress.objects.filter(progress__report=draft).values_list(
            "step_id", "operations_done", "partial"
        )
    )
    response = client.post(
        reverse("reports:section", args=[draft.pk, "standardization"]),
        form_post(draft, **{"現行システムの概要調査": values}),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        list(
            StepProgress.objects.filter(progress__report=draft).values_list(
                "step_id", "operations_done", "partial"
            )
        )
        == before
    )


def test_a_planned_date_may_be_in_the_future_an_actual_one_is_today_at_the_latest(client, liaison, draft):
    """The picker of 完了日（実績） offers no day after today; 完了予定日 has no such bound; today and a
    planned 2030 are saved."""
    from django.utils import timezone

    today = timezone.localdate()
    url = reverse("reports:section", args=[draft.pk, "standardization"])
    client.force_login(liaison)
    page = client.get(url).content.decode()
    s = step("現行システムの概要調査").pk
    assert f'name="s{s}_actual" max="{today.isoformat()}"' in page
    assert f'name="s{s}_planned" id' in page  # no max
    data = form_post(
        draft,
        **{"現行システムの概要調査": {"count": "3", "planned": "2030-03-31", "actual": today.isoformat()}},
    )
    assert client.post(url, data).status_code == 302
    row = StepProgress.objects.get(progress__report=draft, step_id=s)
    assert (row.planned_date, row.actual_date) == (date(2030, 3, 31), today)


def approve_with(draft, liaison, staff, steps):
    section = registry.sections.get("standardization")
    services.section_save(
        report=draft,
        section=section,
        data={"steps": steps},
        expected_version=draft.standardization_standardizationprogress.version,
        user=liaison,
    )
    services.report_submit(report=draft, user=liaison)
    services.report_approve(report=draft, user=staff)


def test_changes_and_risks_on_the_dashboard(client, member, liaison, staff, draft, hagi):
    DeadlineOverride.objects.create(
        municipality=hagi,
        operation=Operation.objects.get(name="戸籍"),
        deadline=date(2028, 3, 31),
        reason="移行困難システム（戸籍）",
    )
    approve_with(
        draft,
        liaison,
        staff,
        [
            {"step_id": step("推進体制の立ち上げ").pk, "operations_done": 20},
            {
                "step_id": step("現行システムの概要調査").pk,
                "operations_done": 12,
                "partial": True,
                "planned_date": date(2023, 5, 31),
            },
            {"step_id": step("RFI資料の作成").pk, "operations_done": 20},
            {"step_id": step("RFIの実施").pk, "operations_done": 20},
            {"step_id": step("本番移行").pk, "operations_done": 0, "planned_date": date(2026, 9, 30)},
        ],
    )
    client.force_login(member)
    page = client.get(reverse("standardization:dashboard") + "?period=2023-Q1").content.decode()
    assert "令和4年度 第4四半期 → 令和5年度 第1四半期" in page
    assert "12(一部)" in page  # 萩市 現行システムの概要調査: — → 12(一部)
    assert "予定日を30日超過（未完了）" in page  # planned 2023-05-31, as of 2023-06-30
    assert "移行期限（2026-03-31）より183日後" in page  # 本番移行 planned after the deadline
    karte = client.get(reverse("standardization:karte", args=["hagi"]) + "?period=2023-Q1").content.decode()
    assert "移行困難システム（戸籍）" in karte
    assert "予定日を30日超過" in karte and "移行期限より後の予定" in karte
    assert "R4 Q4" in karte and "R5 Q1" in karte  # history over periods


def test_dashboard_and_karte_query_counts_do_not_grow(client, member, count_queries, grow_prefecture):
    client.force_login(member)
    urls = [
        reverse("standardization:dashboard"),
        reverse("standardization:karte", args=["hagi"]),
        reverse("standardization:export"),
    ]

    def measure():
        counts = []
        for url in urls:
            client.get(url)
            counts.append(count_queries(lambda url=url: client.get(url)))
        return counts

    at_19 = measure()
    grow_prefecture(181)
    assert StepProgress.objects.count() > 19 * 3 + 181
    assert measure() == at_19
    page = client.get(urls[0]).content.decode()
    assert "承認済みの報告 200／200団体" in page


def test_liaisons_never_see_the_internal_flag_of_unverified_step_names(client, draft, liaison, staff):
    """Whether a step's name was confirmed in the materials is master data for the prefecture: the
    admin lists and filters it; the form a liaison fills in shows the names only."""
    assert Step.objects.filter(verified=False).exists()
    client.force_login(liaison)
    for url in (
        reverse("reports:section", args=[draft.pk, "standardization"]),
        draft.get_absolute_url(),
        reverse("standardization:karte", args=["hagi"]),
        reverse("standardization:dashboard"),
    ):
        page = client.get(url).content.decode()
        assert "名称未確認" not in page and "未確認" not in page, url
    unverified = Step.objects.filter(verified=False).first()
    assert (
        unverified.name
        in client.get(reverse("reports:section", args=[draft.pk, "standardization"])).content.decode()
    )
    client.force_login(staff)
    admin_list = client.get(reverse("admin:standardization_step_changelist") + "?verified__exact=0")
    assert "資料で確認済み" in admin_list.content.decode() and unverified.name in admin_list.content.decode()
