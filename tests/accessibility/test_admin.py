"""axe-core over the Django admin, the prefecture staff's back office: the index, every app's
index, and for every model of the portal its list, its add form and the change form of a row.
One test per app (the apps holding the portal's data, `council.roles.project_apps`, and the
accounts), an app of many models in parts of at most `MODELS_PER_TEST`, so the workers share the
sweep evenly."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import expect

from council.roles import project_apps
from tests.browser import assert_accessible, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODELS_PER_TEST = 7


def app_models(app: str) -> list:
    models = [m for m in admin.site._registry if m._meta.app_label == app]
    assert models, app
    return sorted(models, key=lambda m: m._meta.model_name)


def sweeps() -> list:
    """(app, part): every model of every app in exactly one part, the parts of an app about even."""
    params = []
    for app in project_apps():
        count = -(-len(app_models(app)) // MODELS_PER_TEST)
        params += [
            pytest.param(app, part, count, id=f"{app}-{part + 1}" if count > 1 else app)
            for part in range(count)
        ]
    return [*params, pytest.param("accounts", 0, 1, id="accounts")]


def admin_pages(app: str, part: int = 0, parts: int = 1) -> list[str]:
    """The admin's pages of one app, or of one of its `parts` (the app's index with the first);
    the accounts: the user admin and the admin's index."""
    if app == "accounts":
        return [reverse("admin:index"), *account_pages()]
    pages = [reverse("admin:app_list", args=[app])] if part == 0 else []
    for model in app_models(app)[part::parts]:
        info = model._meta.app_label, model._meta.model_name
        pages.append(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        if admin.site._registry[model].has_add_permission(_Request()):
            pages.append(reverse(f"admin:{info[0]}_{info[1]}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse(f"admin:{info[0]}_{info[1]}_change", args=[first.pk]))
            pages.append(reverse(f"admin:{info[0]}_{info[1]}_history", args=[first.pk]))
    return pages


def account_pages():
    """The accounts (Django's user model, scoped for staff): the list, the add form, a liaison's
    page (editable, with the account's buttons) and a staff member's (read only for staff)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    liaison = users.get(username="liaison-hagi")
    staff = users.get(username="prefecture")
    return [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[liaison.pk]),
        reverse("admin:auth_user_history", args=[liaison.pk]),
        reverse("admin:auth_user_change", args=[staff.pk]),
    ]


def test_the_parts_of_the_sweep_take_every_model_of_every_app_once():
    swept = [
        model
        for param in sweeps()
        if param.values[0] != "accounts"
        for model in app_models(param.values[0])[param.values[1] :: param.values[2]]
    ]
    assert sorted(map(str, swept)) == sorted(
        str(m) for m in admin.site._registry if m._meta.app_label in project_apps()
    )
    assert len(set(swept)) == len(swept)


class _Request:
    """Enough of a request for has_add_permission: a superuser."""

    class user:  # noqa: N801
        is_active = is_staff = is_superuser = True

        @staticmethod
        def has_perm(*args):
            return True


@pytest.mark.parametrize("app, part, parts", sweeps())
def test_axe_on_every_admin_page(app, part, parts, live_server, browser, people, django_user_model):
    from council import services
    from council.models import Meeting, Municipality, ReportingPeriod

    services.report_start(
        municipality=Municipality.objects.get(slug="hagi"),
        period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1),
        user=None,
    )
    assert Meeting.objects.exists()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    login(page, live_server.url, "prefecture")
    failures = []
    for url in admin_pages(app, part, parts):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, (url, response.status)
        try:
            assert_accessible(page, f"admin-{url.strip('/').replace('/', '_')}")
        except AssertionError as error:
            failures.append(str(error))
    page.close()
    assert not failures, "\n\n".join(failures)


def test_the_autocomplete_is_named_after_its_field_and_its_choice(live_server, browser, people):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    login(page, live_server.url, "prefecture")
    page.goto(f"{live_server.url}{reverse('admin:standardization_deadlineoverride_add')}")
    combobox = page.get_by_role("combobox", name=re.compile(r"^団体:?$"))
    expect(combobox).to_be_visible()
    combobox.click()
    page.get_by_role("searchbox", name="団体を検索").fill("萩")
    expect(page.get_by_role("option", name="萩市")).to_be_visible()
    expect(page.get_by_role("option", name="山口県")).to_have_count(0)  # the search has answered
    assert_accessible(page, "admin-autocomplete-open")
    page.get_by_role("option", name="萩市").click()
    expect(page.get_by_role("combobox", name=re.compile(r"^団体:? 萩市$"))).to_be_visible()
    page.close()
