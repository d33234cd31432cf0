"""Names and codes lose bidi controls, BOMs, zero-width and control characters wherever a model is
cleaned (the admin, model forms, django-import-export and imports that call `full_clean()`): such
characters are invisible, make two identical-looking names differ, and can reverse how a name reads."""

import pytest

from council.text import clean_text

HIDDEN = "\u202e\ufeff\u200b\u200c\u200d\u200e\u200f\u2066\u2069\u2060\u00ad\x00\t"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("\ufeff萩市", "萩市"),
        ("萩\u200b市", "萩市"),
        ("\u202e市萩\u202c", "市萩"),
        ("\u2067萩市\u2069", "萩市"),
        ("35\u200d2047", "352047"),
        (" 萩市\u00ad ", "萩市"),
        ("萩 市", "萩 市"),  # a visible space inside stays
        ("ＤＸ推進室", "ＤＸ推進室"),  # full-width letters are not this normaliser's business
        (HIDDEN, ""),
    ],
)
def test_clean_text(typed, stored):
    assert clean_text(typed) == stored


def test_the_admin_stores_a_municipality_without_hidden_characters(client, staff, hagi):
    client.force_login(staff)
    response = client.post(
        f"/admin/council/municipality/{hagi.pk}/change/",
        {
            "code": "\ufeff352047\u200b",
            "name": "\u202e萩\u200b市\u2069",
            "slug": "hagi",
            "kind": "city",
            "prefecture": hagi.prefecture_id,
            "display_order": hagi.display_order,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hagi.refresh_from_db()
    assert (hagi.code, hagi.name) == ("352047", "萩市")


@pytest.mark.parametrize(
    ("admin", "data", "model", "field"),
    [
        (
            "online_procedures/procedure",
            {
                "name": "\u200b児童手当の受給資格\ufeff",
                "category": "childcare",
                "order": 90,
                "verified": "on",
            },
            "online_procedures.Procedure",
            "name",
        ),
        (
            "rpa/scenario",
            {
                "name": "\u2066会計伝票の入力\u2069",
                "number": 90,
                "fiscal_year": 2023,
                "status": "operating",
                "maintainer": "",
                "participations-TOTAL_FORMS": 0,
                "participations-INITIAL_FORMS": 0,
            },
            "rpa.Scenario",
            "name",
        ),
        (
            "standardization/step",
            {"name": "\u200e試験ステップ", "full_name": "", "order": 90, "phase": None, "verified": "on"},
            "standardization.Step",
            "name",
        ),
    ],
)
def test_admin_adds_store_names_without_hidden_characters(client, staff, admin, data, model, field):
    from django.apps import apps

    if "phase" in data:
        from standardization.models import Phase

        data["phase"] = Phase.objects.first().pk
    client.force_login(staff)
    response = client.post(f"/admin/{admin}/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert apps.get_model(model).objects.filter(**{field: clean_text(data[field])}).exists()


def test_the_admin_import_matches_a_name_behind_a_bom_and_changes_nothing(client, staff):
    from tests.hardening.test_admin_import_export import export, preview, rows, write
    from tests.hardening.test_bad_input import fingerprint

    client.force_login(staff)
    table = rows(export(client, "online_procedures/procedure", "csv"), "csv")
    name = table[0].index("name")
    table[1][name] = "\ufeff" + table[1][name] + "\u200b"
    before = fingerprint()
    _, kinds = preview(client, "online_procedures/procedure", "csv", write(table, "csv"))
    assert kinds == {"skip": len(table) - 1}, kinds
    assert fingerprint() == before
