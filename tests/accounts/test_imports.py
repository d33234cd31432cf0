"""Onboarding from a sheet through the portal's import pipeline: a dry run, every bad row named, all
or nothing, an invitation to each new account once the import commits."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from council.models import Role
from tests.accounts.helpers import link_in, sheet
from tests.hardening.test_bad_input import fingerprint

User = get_user_model()
IMPORT = reverse("account_import")
GOOD = [
    ["352047", "萩 太郎", "Taro.Hagi@city.hagi.lg.jp", "連絡担当"],
    ["352021", "宇部 花子", "hanako@city.ube.yamaguchi.jp", "連絡担当者"],
    ["350001", "山口 次郎", "jiro@pref.yamaguchi.lg.jp", "構成員"],
]


def dry_run(client, rows, **kwargs):
    return client.post(IMPORT, {"file": sheet(rows, **kwargs)})


def confirm(client, page: str):
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return client.post(IMPORT, {"token": token}, follow=True)


def test_staff_onboard_a_sheet_after_a_dry_run(client, staff, sent):
    client.force_login(staff)
    users = User.objects.count()
    preview = dry_run(client, GOOD)
    page = preview.content.decode()
    assert preview.status_code == 200 and "新規 3件（それぞれに招待メールを送ります）" in page
    assert User.objects.count() == users  # nothing written by the dry run
    response, mails = sent(lambda: confirm(client, page))
    assert "新規 3件を登録し、招待メールを送りました" in response.content.decode()
    taro = User.objects.get(email="taro.hagi@city.hagi.lg.jp")
    assert taro.username == "taro.hagi@city.hagi.lg.jp" and taro.last_name == "萩 太郎"
    assert not taro.has_usable_password()
    assert (taro.portal_profile.role, taro.portal_profile.organisation.slug) == (Role.LIAISON, "hagi")
    jiro = User.objects.get(email="jiro@pref.yamaguchi.lg.jp")
    assert jiro.portal_profile.role == Role.MEMBER and not jiro.is_staff
    assert sorted(mail.to[0] for mail in mails) == sorted(
        ["taro.hagi@city.hagi.lg.jp", "hanako@city.ube.yamaguchi.jp", "jiro@pref.yamaguchi.lg.jp"]
    )
    assert all(link_in(mail).startswith("/accounts/invitation/") for mail in mails)


def test_the_same_sheet_again_creates_and_mails_nobody(client, staff, sent):
    client.force_login(staff)
    sent(lambda: confirm(client, dry_run(client, GOOD).content.decode()))
    users, before = User.objects.count(), fingerprint()
    page = dry_run(client, GOOD).content.decode()
    assert "新規 0件" in page and "登録済み 3件（変更しません）" in page
    response, mails = sent(lambda: confirm(client, page))
    assert mails == [] and User.objects.count() == users
    after = fingerprint()
    assert {k: v for k, v in after.items() if "ImportStash" not in k} == {
        k: v for k, v in before.items() if "ImportStash" not in k
    }


def test_the_template_has_the_columns(client, staff):
    import io

    import openpyxl

    client.force_login(staff)
    response = client.get(reverse("account_import_template"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in next(book.active.iter_rows(max_row=1))] == [
        "団体コード",
        "氏名",
        "メールアドレス",
        "役割",
    ]


def test_only_staff_open_the_import(client, liaison, member, staff):
    for user in (liaison, member):
        client.force_login(user)
        assert client.get(IMPORT).status_code == 404
    client.force_login(staff)
    page = client.get(IMPORT).content.decode()
    assert "アカウントの一括登録" in page and reverse("account_import_template") in page
    assert reverse("account_import") in client.get(reverse("admin:auth_user_changelist")).content.decode()


def test_a_superuser_may_onboard_staff(client, seeded, sent):
    root = User.objects.create_superuser("root", password="pw")
    client.force_login(root)
    rows = [["350001", "県 職員", "staff2@pref.yamaguchi.lg.jp", "職員"]]
    _, mails = sent(lambda: confirm(client, dry_run(client, rows).content.decode()))
    user = User.objects.get(email="staff2@pref.yamaguchi.lg.jp")
    assert user.is_staff and user.portal_profile.role == Role.STAFF and len(mails) == 1


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        (
            [GOOD[0], ["352021", "萩 太郎（重複）", "taro.hagi@CITY.hagi.lg.jp", "連絡担当"]],
            ["3行目「メールアドレス」: 同じメールアドレスが 2行目にもあります。"],
        ),
        (
            [GOOD[0], ["352099", "架空 太郎", "kakuu@example.jp", "連絡担当"]],
            ["3行目「団体コード」: 団体コード「352099」は登録されていません。"],
        ),
        (
            [["35204", "萩 太郎", "taro@example.jp", "連絡担当"]],
            ["2行目「団体コード」: 団体コードは検査数字を含む6桁で入力してください（「35204」は5桁です）。"],
        ),
        (
            [GOOD[0], ["352047", "萩 職員", "staff@city.hagi.lg.jp", "職員"]],
            [
                "3行目「役割」: 県職員の役割を付与できるのは管理者（スーパーユーザー）だけです。役割は 連絡担当・構成員 のいずれかにしてください。"
            ],
        ),
        (
            [["352047", "萩 太郎", "taro@example.jp", "管理者"]],
            ["2行目「役割」: 役割「管理者」は 連絡担当・構成員 のいずれかにしてください。"],
        ),
        (
            [
                ["352047", "萩 太郎", "taro.example.jp", "連絡担当"],
                ["352047", "萩 次郎", "jiro@", "連絡担当"],
            ],
            [
                "2行目「メールアドレス」: メールアドレス「taro.example.jp」の形式が正しくありません",
                "3行目「メールアドレス」: メールアドレス「jiro@」の形式が正しくありません",
            ],
        ),
        (
            [["352047", "", "taro@example.jp", "連絡担当"], ["", "萩 次郎", "jiro@example.jp", "構成員"]],
            ["2行目「氏名」: 値がありません。", "3行目「団体コード」: 値がありません。"],
        ),
    ],
    ids=[
        "same-address-twice",
        "unknown-code",
        "five-digit-code",
        "staff-role",
        "unknown-role",
        "bad-address",
        "blank",
    ],
)
def test_every_bad_row_is_named_and_nothing_is_written(client, staff, sent, rows, errors):
    client.force_login(staff)
    users, before = User.objects.count(), fingerprint()
    response, mails = sent(lambda: dry_run(client, rows))
    page = response.content.decode()
    assert response.status_code == 400 and "取り込めません" in page and "何も書き込んでいません" in page
    table = re.sub(r"</td><td>", " | ", page.split('id="import-errors"')[1])
    for error in errors:
        row, rest = error.split("「", 1)
        column, message = rest.split("」: ", 1)
        assert f"{row.removesuffix('行目')} | {column} | {message}" in table, error
    assert 'name="token"' not in page
    assert User.objects.count() == users and fingerprint() == before and mails == []


def test_another_prefectures_code_is_refused(client, staff, other_council, sent):
    client.force_login(staff)
    users, before = User.objects.count(), fingerprint()
    code = other_council.towns[0].code
    response, mails = sent(
        lambda: dry_run(client, [GOOD[0], [code, "広島 太郎", "taro@hiroshima.example.jp", "連絡担当"]])
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        f"団体コード「{code}」はこの利用者が取り込める団体ではありません（あなたの担当の都道府県とその市区町村"
        in page
    )
    assert User.objects.count() == users and fingerprint() == before and mails == []


def test_an_address_of_another_account_is_refused(client, staff, liaison, other_council, sent):
    liaison.email = "liaison-hagi@example.jp"
    liaison.save()
    other_council.liaison.email = "hiroshima@example.jp"
    other_council.liaison.save()
    client.force_login(staff)
    users, before = User.objects.count(), fingerprint()
    rows = [
        [
            "352021",
            "宇部 移籍",
            "liaison-hagi@example.jp",
            "連絡担当",
        ],  # the same person, another organisation
        ["352047", "広島から", "HIROSHIMA@example.jp", "構成員"],
    ]
    response, mails = sent(lambda: dry_run(client, rows))
    page = response.content.decode()
    assert page.count("このメールアドレスは既に別のアカウント") == 2
    assert User.objects.count() == users and fingerprint() == before and mails == []


def test_a_confirm_after_the_address_was_taken_writes_nothing(client, staff, hagi, sent):
    """The dry run passed, then someone created an account with one of the addresses: the confirm
    validates again and refuses the whole file."""
    from tests.factories import UserFactory

    client.force_login(staff)
    page = dry_run(client, GOOD).content.decode()
    UserFactory(username="early", email="jiro@pref.yamaguchi.lg.jp", role=Role.LIAISON, organisation=hagi)
    users = User.objects.count()
    response, mails = sent(lambda: confirm(client, page))
    assert "このメールアドレスは既に別のアカウント" in response.content.decode()
    assert User.objects.count() == users and mails == []
