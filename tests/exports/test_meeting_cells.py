"""A meeting material keeps its cells' display formats: its pages show 「8手続」 where the workbook
stores 8 with `0"手続"`, and a material frozen before formats were kept compares equal to today's."""

from django.urls import reverse

from council.meetings.services import material_content, table_changes
from council.models import Meeting


def test_material_pages_show_numbers_as_the_workbook_does(client, member, seeded):
    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    client.force_login(member)
    page = client.get(reverse("council:material", args=[meeting.pk, 2])).content.decode()
    assert "<td>8手続</td>" in page and "<td>22手続</td>" in page
    page = client.get(reverse("council:material", args=[meeting.pk, 5])).content.decode()
    assert "80.1% (全国76.8%)</th>" in page and "<td>4位</td>" in page and "<td>77.4%</td>" in page


def test_text_frozen_before_formats_compares_equal_to_formatted_numbers(seeded):
    meeting = Meeting.objects.get(fiscal_year=2023, number=1)
    material = meeting.materials.get(number=2)
    live = material_content(material, with_charts=False)
    table = live["sheets"][0]
    assert table["rows"][0][:3] == ["下関市", 8, 22]
    old = {
        **live,
        "sheets": [
            {
                **table,
                "rows": [
                    [r[0], *(f"{v}手続" if v is not None else "" for v in r[1:])] for r in table["rows"]
                ],
                "columns": None,
            }
        ],
    }
    assert table_changes(old, live) == []
    changed = {**live, "sheets": [{**table, "rows": [["下関市", 8, 23], *table["rows"][1:]]}]}
    assert [(c.row, c.before, c.after) for c in table_changes(live, changed)] == [
        ("下関市", "22手続", "23手続")
    ]
