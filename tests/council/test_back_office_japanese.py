"""The back office speaks Japanese: django-simple-history's screens (which ship no Japanese) and the
parts of django-import-export's that its catalogue lacks are translated by the portal's own
catalogue (locale/ja), and a history row names each change by its field's label and the labels staff
chose from, never by stored values (`undecided → municipalities`)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import import_export
import pytest
import simple_history
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from council import services
from council.models import Municipality, ReportingPeriod
from tests.hardening.test_admin_import_export import choices

TRANSLATED = re.compile(r"""\{%\s*(?:trans|translate)\s+["']([^"']+)["']|\b_\(\s*["']([^"']+)["']""")


def library_wording(*packages) -> set[str]:
    """Every plain English phrase the libraries' templates and code pass to gettext (the phrases a
    staff member could see), read from the installed packages so a new release's are checked too."""
    phrases = set()
    for package in packages:
        root = Path(package.__file__).parent
        for path in [*root.rglob("templates/**/*.html"), *root.glob("*.py")]:
            for match in TRANSLATED.finditer(path.read_text(encoding="utf-8")):
                phrase = (match.group(1) or match.group(2)).strip()
                # placeholders alone and the developer's own errors (never shown on a page) aside
                if re.search(r"[A-Za-z]{3}", phrase) and "`" not in phrase and "()" not in phrase:
                    phrases.add(phrase.split("%")[0].split("{")[0].strip(" :"))
    return {p for p in phrases if len(p) >= 4}


HISTORY_WORDING = library_wording(simple_history)
IMPORT_EXPORT_WORDING = library_wording(import_export)


class VisibleText(HTMLParser):
    """The text a person reads in the admin's content area (not scripts, not attributes)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if dict(attrs).get("id") == "content" or self.depth:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_left(html: str, wording: set[str]) -> list[str]:
    text = visible(html)
    return sorted(phrase for phrase in wording if phrase in text)


def test_the_wording_list_is_the_libraries_own():
    """The check below is only as good as its list: it holds the phrases staff were shown in English."""
    assert {"Date/time", "Changed by", "Change reason", "Changes", "Object", "Created", "Changed"} <= (
        HISTORY_WORDING
    )
    assert {"Some rows failed to validate", "Line number", "Non field specific", "Select all"} <= (
        IMPORT_EXPORT_WORDING
    )


@pytest.fixture
def hagi_changed(client, staff, hagi):
    """萩市 changed in the admin: its kind from 市 to 町 (a choice) and its name."""
    client.force_login(staff)
    url = reverse("admin:council_municipality_change", args=[hagi.pk])
    data = {
        "code": hagi.code,
        "name": "萩市（改）",
        "slug": hagi.slug,
        "kind": "town",
        "prefecture": hagi.prefecture_id,
        "display_order": hagi.display_order,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Municipality.objects.get(pk=hagi.pk)


def test_history_list_is_japanese_and_shows_labels(client, hagi_changed):
    page = client.get(reverse("admin:council_municipality_history", args=[hagi_changed.pk])).content.decode()
    assert english_left(page, HISTORY_WORDING) == []
    text = visible(page)
    for heading in ("日時", "変更者", "変更内容", "変更理由"):
        assert heading in text
    assert "区分: 市 → 町" in text  # the choice's labels, not `city → town`
    assert "city" not in text and "town" not in text
    assert "団体名: 萩市 → 萩市（改）" in text
    assert "変更" in text  # the record's kind, not "Changed"


def test_history_record_page_is_japanese(client, hagi_changed):
    record = hagi_changed.history.first()
    url = reverse("admin:council_municipality_simple_history", args=[hagi_changed.pk, record.history_id])
    page = client.get(url).content.decode()
    assert english_left(page, HISTORY_WORDING) == []


def test_a_reports_history_shows_its_status_changes(client, staff, liaison, hagi):
    """The report's own fields are written by the workflow (not editable in a form); the history
    still names what changed: 状態 作成中 → 提出済 → 承認済, who submitted and decided."""
    report = services.report_start(
        municipality=hagi, period=ReportingPeriod.objects.get(fiscal_year=2023, quarter=1), user=liaison
    )
    services.report_submit(report=report, user=liaison)
    services.report_approve(report=report, user=staff)
    client.force_login(staff)
    page = client.get(reverse("admin:council_statusreport_history", args=[report.pk])).content.decode()
    text = visible(page)
    assert english_left(page, HISTORY_WORDING) == []
    assert "状態: 作成中 → 提出済" in text
    assert "状態: 提出済 → 承認済" in text
    assert "提出者: （なし） → liaison-hagi" in text
    assert "submitted" not in text and "approved" not in text


def test_a_contracts_history_shows_the_payer_as_chosen(client, staff):
    """資料3's 費用負担 as staff chose it: 未定 → 市町（利用団体）, not `undecided → municipalities`."""
    from rpa.models import Contract

    contract = Contract.objects.create(kind="licence", description="RPAライセンス", start="2024-04-01")
    client.force_login(staff)
    url = reverse("admin:rpa_contract_change", args=[contract.pk])
    data = {
        "kind": "licence",
        "description": "RPAライセンス",
        "start": "2024-04-01",
        "payer": "municipalities",
        "decision": "considering",
    }
    assert client.post(url, data).status_code == 302
    text = visible(client.get(reverse("admin:rpa_contract_history", args=[contract.pk])).content.decode())
    assert "負担: 未定 → 市町（利用団体）" in text
    assert "municipalities" not in text and "undecided" not in text


def test_import_preview_with_errors_is_japanese(client, staff):
    client.force_login(staff)
    admin = "council/municipality"
    form = client.get(f"/admin/{admin}/import/").content.decode()
    assert english_left(form, IMPORT_EXPORT_WORDING) == []
    content = (
        "code,name,slug,kind,prefecture,display_order\n"
        "352209,架空市,kakuu,city,350001,\n"
        "352218,架空二市,kakuu-2,city,350001,\n"  # wrong check digit
    ).encode()
    response = client.post(
        f"/admin/{admin}/import/",
        {
            "format": choices(form, "format")["csv"],
            "resource": 0,
            "import_file": SimpleUploadedFile("data.csv", content),
        },
    )
    page = response.content.decode()
    assert "検査数字" in page
    assert english_left(page, IMPORT_EXPORT_WORDING) == []
    assert not Municipality.objects.filter(slug__startswith="kakuu").exists()


def test_export_page_is_japanese(client, staff):
    client.force_login(staff)
    page = client.get("/admin/council/municipality/export/").content.decode()
    assert english_left(page, IMPORT_EXPORT_WORDING) == []


def test_every_history_in_the_admin_names_its_changes_with_labels():
    """A new app's admin with a history gets the same screens: it must use the portal's base."""
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    from council.framework.admin import PortalHistoryAdmin

    with_history = [a for a in admin.site._registry.values() if isinstance(a, SimpleHistoryAdmin)]
    assert len(with_history) > 10
    assert [type(a).__name__ for a in with_history if not isinstance(a, PortalHistoryAdmin)] == []


def test_seeded_rows_have_a_first_history_record(seeded):
    """Fixtures load without history; the seed records each row once, so staff's first change of a
    seeded row has something to be compared with (and running the seed again adds nothing)."""
    from django.core.management import call_command

    from standardization.models import Step

    assert seeded.history.filter(history_type="+").count() == 1
    assert all(step.history.exists() for step in Step.objects.all())
    before = Municipality.history.count()
    call_command("seed", verbosity=0)
    assert Municipality.history.count() == before


def test_the_compiled_catalogue_matches_its_source():
    """locale/ja's django.mo is committed (no gettext needed to run the portal); it must say what
    django.po says (`make messages` compiles it)."""
    import gettext

    from django.conf import settings

    directory = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"
    source = (directory / "django.po").read_text(encoding="utf-8")
    compiled = gettext.GNUTranslations((directory / "django.mo").open("rb"))
    singular = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', source, re.M)
    assert len(singular) >= 40
    for msgid, msgstr in singular:
        unescaped = msgid.replace('\\"', '"')
        assert compiled.gettext(unescaped) == msgstr.replace('\\"', '"'), msgid


def test_import_preview_names_columns_and_choices_by_their_labels(client, staff):
    client.force_login(staff)
    admin = "council/municipality"
    form = client.get(f"/admin/{admin}/import/").content.decode()
    assert "団体コード（code）" in visible(form) and "区分（kind）" in visible(form)
    content = "code,name,slug,kind,prefecture,display_order\n352209,架空市,kakuu,city,350001,\n".encode()
    response = client.post(
        f"/admin/{admin}/import/",
        {
            "format": choices(form, "format")["csv"],
            "resource": 0,
            "import_file": SimpleUploadedFile("data.csv", content),
        },
    )
    html = response.content.decode()
    headers = [h.strip() for h in re.findall(r"<th[^>]*>\s*([^<]*?)\s*</th>", html)]
    assert "区分（kind）" in headers and "団体名（name）" in headers
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(?:<ins[^>]*>)?\s*([^<]*?)\s*(?:</ins>)?</td>", html)]
    assert "市" in cells and "city" not in cells
    assert not Municipality.objects.filter(slug="kakuu").exists()  # a preview writes nothing


def test_export_page_names_fields_by_their_labels(client, staff):
    client.force_login(staff)
    text = visible(client.get("/admin/council/municipality/export/").content.decode())
    assert "団体コード（code）" in text
