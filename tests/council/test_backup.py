"""Backup and restore lose nothing, history included."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from council import services
from council.models import Municipality, ReportingPeriod, StatusReport


def counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"council", "standardization", "online_procedures", "mynumber", "rpa", "analog_review", "auth"}
        and model._meta.model_name != "permission"
    }


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip(tmp_path):
    call_command("seed", verbosity=0)
    from council.models import Role
    from tests.factories import UserFactory

    liaison = UserFactory(
        username="liaison-hagi", role=Role.LIAISON, organisation=Municipality.objects.get(slug="hagi")
    )
    report = services.report_start(
        municipality=liaison.portal_profile.organisation,
        period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1),
        user=liaison,
    )
    services.report_submit(report=report, user=liaison)
    before = counts()
    history_before = sorted(StatusReport.history.values_list("id", "status", "history_user__username"))
    out = tmp_path / "backup.json.gz"
    call_command("backup", str(out), stdout=io.StringIO())
    with pytest.raises(CommandError) as info:
        call_command("restore", str(out))
    assert "空ではありません" in str(info.value)
    call_command("flush", interactive=False, verbosity=0)
    assert Municipality.objects.count() == 0
    call_command("restore", str(out), stdout=io.StringIO())
    assert counts() == before
    assert (
        sorted(StatusReport.history.values_list("id", "status", "history_user__username")) == history_before
    )
    assert StatusReport.objects.get(pk=report.pk).submitted_by.username == "liaison-hagi"
    # and the restored database keeps working: new rows get fresh keys
    services.report_approve(report=StatusReport.objects.get(pk=report.pk), user=None)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    bad = tmp_path / "x.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(CommandError) as info:
        call_command("restore", str(bad), "--force")
    assert "gzip" in str(info.value)
