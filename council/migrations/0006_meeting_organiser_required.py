"""A meeting's organiser (its council) is required, and its number is unique per council: each of
the 47 councils has its own 第1回."""

import django.db.models.deletion
from django.db import migrations, models

HELP_TEXT = (
    "この都道府県の会議です。資料はこの都道府県とその市区町村のデータで作り、"
    "この都道府県の職員・構成員・連絡担当者にだけ表示されます"
)


class Migration(migrations.Migration):
    dependencies = [
        ("council", "0005_meeting_organiser_fill"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="meeting",
            name="meeting_unique_number",
        ),
        migrations.AlterField(
            model_name="historicalmeeting",
            name="organiser",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text=HELP_TEXT,
                limit_choices_to={"kind": "prefecture"},
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="council.municipality",
                verbose_name="主催（都道府県）",
            ),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="organiser",
            field=models.ForeignKey(
                help_text=HELP_TEXT,
                limit_choices_to={"kind": "prefecture"},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings",
                to="council.municipality",
                verbose_name="主催（都道府県）",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                fields=("organiser", "fiscal_year", "number"),
                name="meeting_unique_number_per_council",
                violation_error_message="この都道府県の同じ年度・同じ回の会議は既にあります。",
            ),
        ),
    ]
