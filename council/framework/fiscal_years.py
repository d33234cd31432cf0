"""A fiscal year (April–March) as what a dashboard or a book is keyed by (`?year=2023`), for the
agenda items whose data are kept by year rather than by quarter (資料3, 資料6)."""

from __future__ import annotations

from dataclasses import dataclass

from council.wareki import wareki_fiscal_year


@dataclass(frozen=True)
class FiscalYear:
    fiscal_year: int

    @property
    def slug(self) -> str:
        return str(self.fiscal_year)

    @property
    def label(self) -> str:
        return wareki_fiscal_year(self.fiscal_year)
