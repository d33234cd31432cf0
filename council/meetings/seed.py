"""Seed: the meeting of 2023-05-11 with its 次第 and 資料1–8 exactly as in the materials, frozen."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from council.meetings.services import meeting_freeze
from council.models import AgendaItem, Material, Meeting, Municipality

AGENDA = [
    (1, "議長あいさつ", None, []),
    (
        2,
        "国の動向及び対応について",
        None,
        [
            ("情報システムの標準化・共通化について", 1),
            ("行政手続のオンライン化について", 2),
            ("県・市町におけるRPA等共同利用について", 3),
            ("アナログ規制の点検・見直しについて", 4),
            ("マイナンバーカードの申請・交付状況について", 5),
        ],
    ),
    (3, "デジタル関連の県の取組状況等について", 6, []),
    (4, "市町のDX推進体制等について", 7, []),
    (5, "意見交換等", 8, []),
]
# 資料番号 → (app label, period key, description for text-only materials)
MATERIALS = {
    1: ("standardization", "2022-Q4", ""),
    2: ("online_procedures", "2022-Q4", ""),
    3: ("rpa", "2022", ""),
    4: (
        "analog_review",
        "",
        "代表的なアナログ規制7項目及びFD等の記録媒体を指定する規定について、条例や規則、要綱・要領等を点検する。"
        "県は洗い出し作業を実施し、現在とりまとめ作業中。",
    ),
    5: ("mynumber", "2023-03-31", ""),
    6: ("programmes", "2023", ""),
    7: ("dx", "2022-Q4", ""),
    8: ("", "", "《参考》書かない窓口の取組について（美祢市から）"),
}


#: the materials' words, one file per 資料 (the safe Markdown subset of council.meetings.narrative)
TEXTS = Path(settings.BASE_DIR) / "fixtures" / "meetings" / "2023-05-11"


def material_text(number: int) -> str:
    path = TEXTS / f"{number}.md"
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


def load_meeting_seed() -> int:
    """The meeting of 山口県's council (loaded after the organisations)."""
    organiser = Municipality.objects.get(code="350001")
    if Meeting.objects.filter(organiser=organiser, fiscal_year=2023, number=1).exists():
        return 0
    meeting = Meeting.objects.create(
        fiscal_year=2023,
        number=1,
        held_at=datetime(2023, 5, 11, 9, 30, tzinfo=ZoneInfo("Asia/Tokyo")),
        format=Meeting.Format.WEB,
        organiser=organiser,
    )
    for number, title, material_number, children in AGENDA:
        item = AgendaItem.objects.create(meeting=meeting, number=number, title=title)
        if material_number:
            _material(meeting, item, material_number, title)
        for order, (child_title, child_material) in enumerate(children, start=1):
            child = AgendaItem.objects.create(meeting=meeting, parent=item, number=order, title=child_title)
            _material(meeting, child, child_material, child_title)
    meeting_freeze(meeting=meeting, user=None)
    # the materials were fixed for the meeting, not when the seed ran: the working day before it
    frozen_at = datetime(2023, 5, 10, 17, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    meeting.materials.update(frozen_at=frozen_at)
    Material.history.filter(id__in=meeting.materials.values("pk")).update(history_date=frozen_at)
    return 1


def _material(meeting, item, number, title):
    app_label, period_key, description = MATERIALS[number]
    Material.objects.create(
        meeting=meeting,
        agenda_item=item,
        number=number,
        title=title.removesuffix("について"),
        app_label=app_label,
        period_key=period_key,
        description=description,
        narrative=material_text(number),
    )
