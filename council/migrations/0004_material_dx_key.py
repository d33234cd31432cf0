"""資料7 is the agenda app `dx` (it was named `council` in the dashboard and exporter registries):
materials bound to it follow the new key, in their history too."""

from django.db import migrations


def rename(apps, old, new):
    for name in ("Material", "HistoricalMaterial"):
        apps.get_model("council", name).objects.filter(app_label=old).update(app_label=new)


class Migration(migrations.Migration):
    dependencies = [("council", "0003_dataversion")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: rename(apps, "council", "dx"),
            lambda apps, schema_editor: rename(apps, "dx", "council"),
        )
    ]
