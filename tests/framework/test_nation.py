"""generate_nation builds a deterministic synthetic nation with every app's data."""

import io

import pytest
from django.core.management import CommandError, call_command

from council.models import Municipality, ReportingPeriod, StatusReport


def test_generate_nation_small(seeded):
    call_command(
        "generate_nation", municipalities=120, quarters=3, seed=1, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert Municipality.objects.filter(kind="prefecture").count() == 47
    assert Municipality.objects.reporting().count() == 120
    periods = list(ReportingPeriod.objects.order_by("-fiscal_year", "-quarter")[:3])
    assert StatusReport.objects.filter(period__in=periods).count() == 120 * 3
    report = StatusReport.objects.filter(municipality__slug__startswith="nation-").first()
    assert report.status == "approved"
    assert report.council_dxstructure and report.standardization_standardizationprogress.steps.exists()
    codes = list(Municipality.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    with pytest.raises(CommandError):
        call_command(
            "generate_nation",
            municipalities=120,
            quarters=3,
            seed=1,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
