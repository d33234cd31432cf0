"""Every exported workbook printed by LibreOffice headless (as CI does, with Debian's packages):
each sheet one A4 landscape page wide, and the materials' tables of 資料1, 2, 5 and 7 on at most
two pages each. Every printed page carries the sheet's header row (print titles) and a footer
「シート名 ページ / ページ数」, which is how the pages are told apart here."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.exports.books import MATERIAL_SHEETS, MEETING, exported_books, load
from tests.exports.checks import header_row

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) or poppler-utils is not installed here; CI installs both "
    "(apt-get install libreoffice-calc-nogui poppler-utils)",
)

A4_LANDSCAPE = (841.89, 595.3)  # points, as pdfinfo prints them
AT_MOST_TWO_PAGES = {
    "standardization": "資料1 完了済みフェーズ",
    "online_procedures": "資料2 オンライン化取組状況",
    "mynumber": "資料5 申請・交付状況",
    "dx": "資料7 市町のDX推進体制等",
    MEETING: ("資料1", "資料2", "資料5", "資料7"),
}
FOOTER = re.compile(r"^\s*(?P<sheet>\S.*?)\s+(?P<page>\d+)\s*/\s*(?P<pages>\d+)\s*$")


@pytest.fixture(scope="session")
def soffice_profile(tmp_path_factory, worker_id):
    """LibreOffice's user profile, one per test worker: two instances sharing one would clash."""
    return tmp_path_factory.mktemp(f"soffice-{worker_id}").as_uri()


def to_pdf(paths, outdir, profile) -> None:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def pages_of(pdf) -> list[dict]:
    """Each page's size and text, and the sheet its footer names."""
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True
    )
    sizes = [
        tuple(float(v) for v in m.groups())
        for m in re.finditer(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    ]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    pages = []
    for size, page in zip(sizes, text.stdout.split("\f"), strict=False):
        lines = [line for line in page.splitlines() if line.strip()]
        footer = FOOTER.match(lines[-1]) if lines else None
        pages.append({"size": size, "text": page, "sheet": footer["sheet"] if footer else None})
    return pages


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_exported_sheet_prints_one_a4_landscape_page_wide(
    client, liaison, staff, hagi, tmp_path, soffice_profile
):
    books = exported_books(client, liaison=liaison, staff=staff, hagi=hagi)
    paths = []
    for name, content in books.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(content)
        paths.append(path)
    to_pdf(paths, tmp_path, soffice_profile)
    problems = []
    for name, content in books.items():
        wb = load(content)
        pages = pages_of(tmp_path / f"{name}.pdf")
        assert pages, f"{name}: LibreOffice printed nothing"
        for page in pages:
            width, height = page["size"]
            if abs(width - A4_LANDSCAPE[0]) > 1 or abs(height - A4_LANDSCAPE[1]) > 1:
                problems.append(f"{name}: a page of {width} x {height} pt, not A4 landscape")
        for ws in wb.worksheets:
            own = [p for p in pages if p["sheet"] == ws.title]
            if not own:
                problems.append(f"{name}/{ws.title}: no printed page has its footer")
                continue
            headers = [str(c.value) for c in ws[header_row(ws)] if c.value not in (None, "")]
            first, last = compact(headers[0]), compact(headers[-1])
            for number, page in enumerate(own, start=1):
                text = compact(page["text"])
                # one page wide: every page shows the header row from its first column to its last
                if first not in text or last not in text:
                    problems.append(f"{name}/{ws.title} page {number}: header 「{first}…{last}」 cut")
        wanted = AT_MOST_TWO_PAGES.get(name, ())
        for title in (wanted,) if isinstance(wanted, str) else wanted:
            count = sum(1 for p in pages if p["sheet"] == title)
            if count > 2:
                problems.append(f"{name}/{title}: {count} pages (at most two)")
    assert not problems, "\n".join(problems)
    assert set(books) == {*MATERIAL_SHEETS, MEETING}
