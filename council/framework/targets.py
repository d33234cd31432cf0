"""The council's targets (`council.Target`, staff's data) measured against what the portal holds:
each agenda app names the figure a target is measured by; this module says where it stands."""

from __future__ import annotations

from datetime import date

from council.models import Target


def targets_for(app_key: str) -> list[Target]:
    return list(Target.objects.filter(app_key=app_key))


def progress_against(target_value: float, due: date, as_of: date, value: float | None) -> dict:
    """One target's state at `as_of`: reached, due and missed, or still open (with the gap)."""
    if value is None:
        state, label = "unknown", "業務ごとの報告がないため判定できません"
    elif value >= target_value:
        state, label = "reached", "達成"
    elif as_of >= due:
        state, label = "missed", f"期限を過ぎて未達成（あと{round(target_value - value, 1)}ポイント）"
    else:
        state, label = (
            "open",
            f"あと{round(target_value - value, 1)}ポイント（期限まで{(due - as_of).days}日）",
        )
    return {"state": state, "label": label, "value": value}
