"""The file between an import's dry run and its confirm waits in the database (`ImportStash`): for
its own user and import page only, for a limited time, a few per user, and it is imported once."""

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from council import services
from council.models import ImportStash, Municipality, ReportingPeriod, Role, StatusReport
from tests.factories import UserFactory
from tests.hardening.test_bad_input import STD, fingerprint, xlsx

URL = "/standardization/import/"
GOOD = ["352047", "萩市", "2023-Q1", "推進体制の立ち上げ", 3, "", None, None]


def upload(client, rows=(GOOD,), url=URL):
    page = client.post(url, {"file": xlsx(STD, list(rows))}).content.decode()
    assert "確認できました" in page, page
    return page.split('name="token" value="')[1].split('"')[0]


def confirm(client, token, url=URL):
    return client.post(url, {"token": token}, follow=True).content.decode()


def imported():
    return StatusReport.objects.filter(period__fiscal_year=2023, municipality__slug="hagi").exists()


def without_stash(print_):
    return {k: v for k, v in print_.items() if not k.startswith("council.ImportStash")}


@pytest.fixture
def other_staff(seeded, django_user_model):
    return UserFactory(username="staff-2", role=Role.STAFF, organisation=seeded, is_staff=True)


def test_the_dry_run_keeps_the_file_in_the_database_until_it_expires(client, staff, settings):
    client.force_login(staff)
    before = timezone.now()
    token = upload(client)
    stash = ImportStash.objects.get(token=token)
    assert stash.user == staff and stash.filename == "input.xlsx"
    assert stash.importer == "standardization.imports.StepProgressImporter"
    assert bytes(stash.content)[:2] == b"PK" and stash.imported_at is None
    assert before + timedelta(seconds=3600) <= stash.expires_at <= timezone.now() + timedelta(seconds=3600)
    assert not imported()


def test_a_confirm_imports_once_and_a_second_says_it_was_already_imported(client, staff):
    client.force_login(staff)
    token = upload(client)
    assert "input.xlsx を取り込みました" in confirm(client, token)
    assert imported()
    stash = ImportStash.objects.get(token=token)
    assert stash.imported_at is not None and bytes(stash.content) == b""  # the file itself is gone
    before = fingerprint()
    page = confirm(client, token)
    assert "input.xlsx は既に取り込み済みです" in page and "取り込みました" not in page
    assert fingerprint() == before


def test_an_expired_file_is_refused_and_deleted(client, staff):
    client.force_login(staff)
    token = upload(client)
    ImportStash.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    before = fingerprint()
    page = confirm(client, token)
    assert "確認済みのファイルが見つかりません（確認から1時間を過ぎたか" in page
    assert without_stash(fingerprint()) == without_stash(before) and not imported()
    assert not ImportStash.objects.exists()  # deleted on access


def test_another_users_token_is_refused_and_changes_nothing(client, staff, other_staff):
    client.force_login(staff)
    token = upload(client)
    client.force_login(other_staff)
    before = fingerprint()
    assert "確認済みのファイルが見つかりません" in confirm(client, token)
    assert fingerprint() == before and not imported()
    client.force_login(staff)  # and the owner can still confirm it
    assert "を取り込みました" in confirm(client, token)
    assert imported()


def test_a_token_is_refused_on_another_import_page(client, staff):
    client.force_login(staff)
    token = upload(client)
    before = fingerprint()
    assert "確認済みのファイルが見つかりません" in confirm(client, token, url="/online-procedures/import/")
    assert fingerprint() == before


def test_the_newest_file_replaces_the_oldest(client, staff, other_staff, settings):
    settings.IMPORT_STASH_PER_USER = 2
    client.force_login(other_staff)
    theirs = upload(client)
    client.force_login(staff)
    first, second, third = upload(client), upload(client), upload(client)
    assert set(ImportStash.objects.filter(user=staff).values_list("token", flat=True)) == {second, third}
    assert ImportStash.objects.filter(token=theirs).exists()  # per user
    before = fingerprint()
    assert "確認済みのファイルが見つかりません" in confirm(client, first)
    assert fingerprint() == before
    assert "を取り込みました" in confirm(client, third)


def test_a_file_no_longer_clean_at_the_confirm_writes_nothing_and_can_be_confirmed_later(client, staff):
    client.force_login(staff)
    token = upload(client)
    hagi = Municipality.objects.get(slug="hagi")
    report = services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=staff
    )
    services.report_submit(report=report, user=staff)
    before = fingerprint()
    response = client.post(URL, {"token": token})
    assert response.status_code == 400 and "変更できません" in response.content.decode()
    assert fingerprint() == before
    assert ImportStash.objects.get(token=token).imported_at is None
    services.report_return(report=report, user=staff, comment="取り込み直し")
    assert "を取り込みました" in confirm(client, token)


def test_clean_import_stash_deletes_the_expired_files(staff):
    from council.framework.import_stash import import_stash_put

    def put():
        return import_stash_put(user=staff, importer_key="x", filename="a.xlsx", content=b"PK")

    expired, fresh = put(), put()
    ImportStash.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    out = io.StringIO()
    call_command("clean_import_stash", stdout=out)
    assert "期限切れの取り込み待ちファイルを 1件 削除しました" in out.getvalue()
    assert list(ImportStash.objects.values_list("pk", flat=True)) == [fresh.pk]
    call_command("clean_import_stash", stdout=out)
    assert "0件" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_two_confirms_at_once_import_once(staff):
    """The stash is locked and marked in the import's transaction: the second waits, then refuses."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions: PostgreSQL (CI)")
    from council.framework.import_stash import StashRefused, import_stash_confirm, import_stash_put
    from standardization.imports import StepProgressImporter

    key = "standardization.imports.StepProgressImporter"
    stash = import_stash_put(
        user=staff, importer_key=key, filename="a.xlsx", content=xlsx(STD, [GOOD]).read()
    )
    barrier, outcomes = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            _, result = import_stash_confirm(
                token=stash.token, user=staff, importer_key=key, importer=StepProgressImporter()
            )
            outcomes.append("ok" if result.ok else result.errors)
        except StashRefused as refused:
            outcomes.append(refused.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1 and any("既に取り込み済み" in str(o) for o in outcomes), outcomes
    assert StatusReport.objects.filter(period__fiscal_year=2023, municipality__slug="hagi").count() == 1
