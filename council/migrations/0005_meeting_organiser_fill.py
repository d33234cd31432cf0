"""Every meeting belongs to a council: give the meetings saved without an organiser one before the
column becomes required (0005). They can only be the seed's council, 山口県 (350001); a database
without it must have exactly one prefecture, else the operator decides (the migration stops)."""

from django.db import migrations

SEED_PREFECTURE = "350001"


def fill_organiser(apps, schema_editor):
    Meeting = apps.get_model("council", "Meeting")
    Municipality = apps.get_model("council", "Municipality")
    orphans = Meeting.objects.filter(organiser__isnull=True)
    if not orphans.exists():
        return
    prefecture = Municipality.objects.filter(code=SEED_PREFECTURE).first()
    if prefecture is None:
        prefectures = list(Municipality.objects.filter(kind="prefecture")[:2])
        if len(prefectures) != 1:
            raise RuntimeError(
                "主催（都道府県）が空欄の会議があり、どの都道府県の会議か決められません。"
                "管理画面で主催を設定してから、もう一度 migrate してください。"
            )
        prefecture = prefectures[0]
    orphans.update(organiser=prefecture)


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0004_material_dx_key"),
    ]

    operations = [
        migrations.RunPython(fill_organiser, migrations.RunPython.noop),
    ]
