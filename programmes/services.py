"""Writes for 資料6: opening and closing an offer (staff), an organisation's registration.

Services are keyword-only, lock the row they change, and raise `ProgrammeError` with a Japanese
message when a write is refused (nothing is written then)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from council.framework import cache
from council.models import Municipality
from programmes.models import BudgetLine, Offer, Programme, Registration, window_errors


class ProgrammeError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def breakdown_warnings(programme: Programme, lines: list[BudgetLine] | None = None) -> list[str]:
    """A breakdown that does not add up to the budget is kept (the materials' own figures must be
    kept as printed) but flagged."""
    lines = list(programme.budget_lines.all()) if lines is None else lines
    if not lines:
        return []
    total = sum(line.amount for line in lines)
    if total != programme.budget:
        return [
            f"{programme.name}: 内訳の合計（{total:,}千円）が予算額（{programme.budget:,}千円）と一致しません。"
            "資料の数値のまま保存しています。"
        ]
    return []


def offer_open(*, offer: Offer, opens: date | None, closes: date | None, user: Any) -> Offer:
    """Start accepting registrations, with the window given (staff)."""
    errors = window_errors(opens, closes)
    if errors:
        raise ProgrammeError(errors[0] + "受付は開始していません。")
    if closes and closes < timezone.localdate():
        raise ProgrammeError(
            "受付締切日が過ぎています。今日以降の日付にしてください。受付は開始していません。"
        )
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        offer.opens, offer.closes, offer.accepting = opens, closes, True
        offer.save(update_fields=["opens", "closes", "accepting"])
        cache.invalidate()  # the dashboard lists the offers
    return offer


def offer_close(*, offer: Offer, user: Any) -> Offer:
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        offer.accepting = False
        offer.save(update_fields=["accepting"])
        cache.invalidate()
    return offer


def registration_save(
    *, offer: Offer, organisation: Municipality, kind: str, participants: int = 0, note: str = "", user: Any
) -> Registration:
    """Register (or change) an organisation's interest or application. The caller has checked that
    the user may act for `organisation` (a liaison only for their own)."""
    if kind not in Registration.Kind.values:
        raise ProgrammeError("登録の種類を選んでください。")
    if participants < 0:
        raise ProgrammeError("参加人数は0以上で入力してください。")
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if kind != Registration.Kind.ATTENDED and not offer.accepting:
            raise ProgrammeError("この募集は受付中ではありません。登録していません。")
        if kind != Registration.Kind.ATTENDED and offer.closes and offer.closes < timezone.localdate():
            raise ProgrammeError("受付締切日を過ぎています。登録していません。")
        registration, _ = Registration.objects.update_or_create(
            offer=offer,
            organisation=organisation,
            defaults={"kind": kind, "participants": participants, "note": note, "registered_by": user},
        )
        cache.invalidate()  # the dashboard counts the uptake
    return registration


def registration_withdraw(*, offer: Offer, organisation: Municipality, user: Any) -> int:
    with transaction.atomic():
        deleted, _ = Registration.objects.filter(offer=offer, organisation=organisation).delete()
        cache.invalidate()
    return deleted
