"""Login lockout, Content-Security-Policy, upload limits."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_lockout_after_five_failures_with_a_cool_off(client, liaison, other_liaison):
    from axes.models import AccessAttempt

    liaison.set_password("correct-horse")
    liaison.save()
    other_liaison.set_password("other-pass")
    other_liaison.save()
    for _ in range(4):
        assert attempt(client, "liaison-hagi", "wrong").status_code == 200
    locked = attempt(client, "liaison-hagi", "wrong")
    assert locked.status_code == 429
    assert "ログインを一時停止しています" in locked.content.decode()
    # even the right password is refused while locked
    assert attempt(client, "liaison-hagi", "correct-horse").status_code == 429
    # a colleague in the same office (same IP address) is not locked out
    assert attempt(client, "liaison-ube", "other-pass").status_code == 302
    client.logout()
    # after the cool-off the account works again: no permanent lock
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "liaison-hagi", "correct-horse").status_code == 302


def test_csp_forbids_inline_script_and_eval(client, member):
    client.force_login(member)
    response = client.get(reverse("standardization:dashboard"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    assert "script-src 'self' 'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()


def test_huge_upload_is_refused_with_a_japanese_message(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    big = SimpleUploadedFile("big.xlsx", b"PK" + b"0" * (6 * 1024 * 1024))
    response = client.post(reverse("standardization:import"), {"file": big})
    assert response.status_code == 400
    assert "ファイルが大きすぎます（上限 5 MB）" in response.content.decode()


@pytest.mark.parametrize("name", ["data.csv", "data.xls", "data.xlsx.exe", "data"])
def test_non_xlsx_uploads_are_refused(client, staff, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    response = client.post(reverse("mynumber:import"), {"file": SimpleUploadedFile(name, b"a,b\n1,2")})
    assert response.status_code == 400
    assert "Excel ファイル（.xlsx）を選んでください" in response.content.decode()


def test_corrupt_xlsx_is_refused(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    response = client.post(
        reverse("online_procedures:import"),
        {"file": SimpleUploadedFile("x.xlsx", io.BytesIO(b"PK\x03\x04garbage").read())},
    )
    assert response.status_code == 400
    assert "Excel ファイル（.xlsx）として読み込めません" in response.content.decode()


def test_anonymous_bodies_within_the_limit_reach_the_login_form(client, liaison):
    response = client.post(reverse("login"), {"username": "liaison-hagi", "password": "x" * (60 * 1024)})
    assert response.status_code == 200
    assert "ユーザー名" in response.content.decode()


def test_anonymous_body_just_over_the_limit_is_refused(client):
    response = client.post(reverse("login"), {"username": "x", "password": "x" * (65 * 1024)})
    assert response.status_code == 413
    assert "送信された内容が大きすぎます" in response.content.decode()


def test_logged_in_uploads_keep_the_import_limit_of_5_mb(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    corrupt = SimpleUploadedFile("x.xlsx", b"PK\x03\x04" + b"0" * (1024 * 1024))  # 1 MB: over 64 KB
    response = client.post(reverse("standardization:import"), {"file": corrupt})
    assert response.status_code == 400
    assert "読み込めません" in response.content.decode()


def test_a_malformed_content_length_reads_as_an_empty_body(client):
    response = client.generic("POST", reverse("login"), b"", CONTENT_LENGTH="lots")
    assert response.status_code == 200  # the login form again, as Django reads no body
