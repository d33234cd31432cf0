"""The 資料5 layout: the prefecture block and the municipality table, in the materials' notation."""

from __future__ import annotations

from dataclasses import dataclass

from council.models import Municipality
from mynumber.models import SnapshotRow


def pct(value) -> str:
    return f"{value:.1f}%"


def rank(value) -> str:
    return f"{value}位" if value else ""


@dataclass
class Material5:
    national: SnapshotRow | None
    prefectures: list[SnapshotRow]
    municipalities: list[SnapshotRow]

    @classmethod
    def from_rows(cls, rows: list[SnapshotRow]) -> Material5:
        national = next((r for r in rows if r.organisation_id is None), None)
        prefectures = [
            r for r in rows if r.organisation_id and r.organisation.kind == Municipality.Kind.PREFECTURE
        ]
        municipalities = [
            r for r in rows if r.organisation_id and r.organisation.kind != Municipality.Kind.PREFECTURE
        ]
        return cls(national, prefectures, municipalities)

    def prefecture_block(self, row: SnapshotRow) -> list[str]:
        """80.1% (全国76.8%) | 4位 | 72.6% (全国67.0%) | 4位"""
        nation = self.national
        return [
            pct(row.application_rate) + (f" (全国{pct(nation.application_rate)})" if nation else ""),
            rank(row.application_rank),
            pct(row.issuance_rate) + (f" (全国{pct(nation.issuance_rate)})" if nation else ""),
            rank(row.issuance_rank),
        ]

    @staticmethod
    def display_name(row: SnapshotRow) -> str:
        return f"{row.name}(※)" if row.rank_note else row.name

    def municipality_rows(self) -> list[list[str]]:
        return [
            [self.display_name(r), pct(r.application_rate), pct(r.issuance_rate)] for r in self.municipalities
        ]

    def notes(self) -> list[str]:
        """※柳井市は、特別区・市の中で、申請率全国4位、交付率全国3位"""
        return [f"※{r.name}は、{r.rank_note}" for r in self.municipalities if r.rank_note]

    @property
    def leader(self) -> SnapshotRow | None:
        return max(self.municipalities, key=lambda r: (r.issuance_rate, r.application_rate), default=None)
