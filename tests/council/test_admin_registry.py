"""Every model of the portal is in the admin, with Japanese names, and its list opens for staff."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from council.roles import project_apps

PROJECT_APPS = project_apps()  # the core and every registered agenda app
NOT_IN_ADMIN = {
    "StepOperation",
    "StepProgress",
    "AnalogCount",
    "ParticipationRequest",
    "AgendaItem",
    "ScenarioUsage",
    "DataVersion",
    "ImportStash",
    "BudgetLine",  # 資料6: inlines of a programme and of an offer
    "SubProgramme",
    "Registration",
}  # inline, derived or bookkeeping


def project_models():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def test_every_model_has_japanese_names():
    for model in project_models():
        assert any("\u3040" <= ch <= "\u9fff" for ch in str(model._meta.verbose_name)), model


@pytest.mark.parametrize(
    "model", [m for m in project_models() if m.__name__ not in NOT_IN_ADMIN], ids=lambda m: m.__name__
)
def test_model_is_registered_and_its_list_opens(client, staff, model):
    assert admin.site.is_registered(model)
    client.force_login(staff)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
