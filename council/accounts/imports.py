"""Onboarding from a sheet (団体コード, 氏名, メールアドレス, 役割): the portal's import pipeline, so a
dry run first, every bad row named, and all rows or none. Each new account gets an invitation mail
once the import commits; a row whose address already has the same account (organisation and role)
is left as it is, so importing the same sheet again creates and mails nobody."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from council.accounts.services import AccountError, NewAccount, accounts_create, normalize_email
from council.framework.imports import (
    CellField,
    Importer,
    ImportRejected,
    OrganisationLookup,
    RowError,
    RowErrors,
    RowForm,
    TextCell,
    cell_text,
)
from council.models import Role
from council.roles import GRANT_STAFF, grant_errors
from council.text import quoted

HEADERS = ["団体コード", "氏名", "メールアドレス", "役割"]
ROLE_WORDS = {
    "連絡担当": Role.LIAISON,
    "連絡担当者": Role.LIAISON,
    "市町連絡担当者": Role.LIAISON,
    "liaison": Role.LIAISON,
    "構成員": Role.MEMBER,
    "会議構成員": Role.MEMBER,
    "member": Role.MEMBER,
    "職員": Role.STAFF,
    "県職員": Role.STAFF,
    "県職員（デジタル推進局）": Role.STAFF,
    "staff": Role.STAFF,
}
ROLE_HINT = "連絡担当・構成員"
NAME_MAX = 150  # the user's name column


class EmailCell(CellField):
    """An e-mail address, stored lowercase."""

    validator = EmailValidator()

    def read(self, value) -> str:
        text = cell_text(value)
        try:
            self.validator(text)
        except ValidationError:
            raise ValidationError(
                f"メールアドレス「{quoted(text)}」の形式が正しくありません（例: taro@city.hagi.lg.jp）。"
            ) from None
        if len(text) > 254:
            raise ValidationError("メールアドレスが長すぎます（254文字まで）。")
        return normalize_email(text)


class RoleCell(CellField):
    """連絡担当 or 構成員 (or the role's full name); 職員 only for a superuser (the form checks)."""

    def read(self, value) -> Role:
        text = cell_text(value)
        role = ROLE_WORDS.get("".join(text.split()).lower())
        if role is None:
            raise ValidationError(f"役割「{quoted(text)}」は {ROLE_HINT} のいずれかにしてください。")
        return role


class AccountRowForm(RowForm):
    name = TextCell("氏名")
    email = EmailCell("メールアドレス")
    role = RoleCell("役割")

    def __init__(self, cells, *, editor):
        super().__init__(cells)
        self.editor = editor

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if len(name) > NAME_MAX:
            raise ValidationError(f"氏名が長すぎます（{NAME_MAX}文字まで）。")
        return name

    def clean_role(self) -> Role:
        role = self.cleaned_data["role"]
        # only the role here: the organisation (always given in the sheet) is the importer's to check
        if "role" in grant_errors(self.editor, role=role, organisation_id=None):
            raise ValidationError(f"{GRANT_STAFF}役割は {ROLE_HINT} のいずれかにしてください。")
        return role


@dataclass
class OnboardingPlan:
    new: list[NewAccount] = field(default_factory=list)
    existing: int = 0


class AccountImporter(Importer):
    title = "アカウントの一括登録"
    headers = HEADERS
    row_form = AccountRowForm

    def __init__(self, *, site_url: str = ""):
        self.site_url = site_url
        self.editor = None

    def get_row_form_kwargs(self):
        return {"editor": self.editor}

    def parse(self, rows, user):
        self.editor = user  # whose grants the rows are checked against
        errors = RowErrors()
        cleaner = self.row_cleaner()
        organisations = OrganisationLookup(
            user, outside_hint="（あなたの担当の都道府県とその市区町村の職員だけを登録できます）"
        )
        existing = self._existing_accounts(rows)
        planned, seen = OnboardingPlan(), {}
        for row in rows:
            before = len(errors)

            def err(column, message, row=row):
                errors.append(RowError(row.number, column, message))

            code = cell_text(row.values.get("団体コード"))
            if len(code) == 5 and code.isdigit():
                err("団体コード", f"団体コードは検査数字を含む6桁で入力してください（「{code}」は5桁です）。")
                organisation = None
            else:
                organisation = organisations.resolve(code, "", err)
            values, row_errors = cleaner.clean(row)
            errors.extend(row_errors)
            email = values["email"] if values else ""
            if email:
                if email in seen:
                    err("メールアドレス", f"同じメールアドレスが {seen[email]}行目にもあります。")
                seen.setdefault(email, row.number)
            if len(errors) > before or values is None:
                continue
            account = NewAccount(
                name=values["name"], email=email, role=values["role"], organisation=organisation
            )
            found = existing.get(email)
            if found is None:
                planned.new.append(account)
            elif self._same(found, account):
                planned.existing += 1
            else:
                err(
                    "メールアドレス",
                    "このメールアドレスは既に別のアカウント（団体または役割が異なる）で使われています。"
                    "登録済みのアカウントを変えるときは、管理画面の「ユーザー」で変更してください。",
                )
        if errors:
            return None, errors
        return planned, errors

    @staticmethod
    def _existing_accounts(rows) -> dict:
        """The accounts that already use an address of the sheet (one query), by address."""
        from django.db.models.functions import Lower

        addresses = {normalize_email(cell_text(row.values.get("メールアドレス"))) for row in rows} - {""}
        users = (
            get_user_model()
            .objects.annotate(address=Lower("email"))
            .filter(address__in=addresses)
            .select_related("portal_profile")
        )
        return {user.address: user for user in users}

    @staticmethod
    def _same(user, account: NewAccount) -> bool:
        profile = getattr(user, "portal_profile", None)
        return (
            profile is not None
            and profile.role == account.role
            and profile.organisation_id == (account.organisation.pk if account.organisation else None)
        )

    def describe(self, plan: OnboardingPlan) -> str:
        return f"新規 {len(plan.new)}件（それぞれに招待メールを送ります）、登録済み {plan.existing}件（変更しません）。"

    def apply(self, plan: OnboardingPlan, user) -> str:
        try:
            accounts_create(accounts=plan.new, created_by=user, site_url=self.site_url)
        except AccountError as error:  # an address taken since the check: nothing is written
            raise ImportRejected([RowError(None, "メールアドレス", error.message)]) from None
        return f"新規 {len(plan.new)}件を登録し、招待メールを送りました。登録済み {plan.existing}件は変更していません。"
