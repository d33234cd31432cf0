"""Seed: 資料6 of the 2023-05-11 meeting (令和5年度) exactly as in the materials."""

import json
from datetime import date

from django.conf import settings
from django.db import transaction

from council.models import Municipality
from programmes.models import BudgetLine, Milestone, Offer, Programme, SubProgramme, SupportCase

FIXTURE = settings.BASE_DIR / "fixtures" / "programmes" / "2023.json"
PREFECTURE_CODE = "350001"


def _make(model, **fields):
    """Create a row after its own validation (lengths, amounts, windows), as the admin would."""
    row = model(**fields)
    row.full_clean()
    row.save()
    return row


def _date(value):
    return date.fromisoformat(value) if value else None


def load_programmes_seed() -> int:
    """Create 山口県's 令和5年度 programmes, offers, courses, support cases and milestones unless they
    exist. Returns the rows added."""
    prefecture = Municipality.objects.filter(code=PREFECTURE_CODE).first()
    if prefecture is None:
        return 0
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    year = data["fiscal_year"]
    if Programme.objects.filter(prefecture=prefecture, fiscal_year=year).exists():
        return 0
    added = 0
    with transaction.atomic():
        programmes = {}
        for order, p in enumerate(data["programmes"], start=1):
            programme = _make(
                Programme,
                prefecture=prefecture,
                fiscal_year=year,
                order=order,
                name=p["name"],
                department=p["department"],
                budget=p["budget"],
                is_new=p["is_new"],
                summary=p["summary"],
                request=p["request"],
            )
            programmes[programme.name] = programme
            for i, (label, detail, amount) in enumerate(p["budget_lines"], start=1):
                _make(BudgetLine, programme=programme, order=i, label=label, detail=detail, amount=amount)
            for i, (field, name, is_new, summary, timing) in enumerate(p["sub_programmes"], start=1):
                _make(
                    SubProgramme,
                    programme=programme,
                    order=i,
                    field=field,
                    name=name,
                    is_new=is_new,
                    summary=summary,
                    timing=timing,
                )
            added += 1 + len(p["budget_lines"]) + len(p["sub_programmes"])
        for o in data["offers"]:
            fields = {k: v for k, v in o.items() if k not in ("programme", "opens", "closes", "held_on")}
            _make(
                Offer,
                prefecture=prefecture,
                fiscal_year=year,
                programme=programmes.get(o.get("programme", "")),
                opens=_date(o.get("opens")),
                closes=_date(o.get("closes")),
                held_on=_date(o.get("held_on")),
                **fields,
            )
            added += 1
        for number, title, category, timing, length, target in data["courses"]:
            _make(
                Offer,
                prefecture=prefecture,
                fiscal_year=year,
                kind=Offer.Kind.COURSE,
                group="山口県デジタル人材育成方針に基づく令和5年度研修",
                number=number,
                title=title,
                provider="県（デジタル推進局）",
                category=category,
                timing=timing,
                length=length,
                target=target,
                summary="市町職員向け: オンライン研修の同時配信・E-Learningの配信、研修資料のデータ提供",
            )
            added += 1
        organisations = {m.name: m for m in Municipality.objects.filter(prefecture=prefecture)}
        for c in data["support_cases"]:
            _make(
                SupportCase,
                prefecture=prefecture,
                fiscal_year=year,
                organisation=organisations[c["organisation"]],
                topic=c["topic"],
                kind=SupportCase.Kind.HANDS_ON,
                title=c["title"],
                request=c["request"],
                proposal=c["proposal"],
                status=c["status"],
            )
            added += 1
        for order, (group, title, timing, due, count) in enumerate(data["milestones"], start=1):
            _make(
                Milestone,
                prefecture=prefecture,
                fiscal_year=year,
                order=order,
                group=group,
                title=title,
                timing=timing,
                due=_date(due),
                organisations=count,
            )
            added += 1
    return added
