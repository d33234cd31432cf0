"""Lossless move to the national definitions for an existing installation: the steps it has get
their 手順書 number (their order, as the seed numbers them), the placeholders of the other steps up to
40 are added (names for staff to correct; shown as unconfirmed in the admin only), and the two
operations a prefecture reports are flagged. Nothing existing is changed otherwise: every
`StepProgress` row (the materials' summary) stays as it is."""

from django.db import migrations

PLACEHOLDER_PHASE = "その他（未登録）"
PREFECTURE_OPERATIONS = ("児童扶養手当", "生活保護")


def forwards(apps, schema_editor):
    Step = apps.get_model("standardization", "Step")
    Phase = apps.get_model("standardization", "Phase")
    Operation = apps.get_model("standardization", "Operation")
    Operation.objects.filter(name__in=PREFECTURE_OPERATIONS).update(prefecture_reports=True)
    steps = list(Step.objects.order_by("order"))
    if not steps:  # a new installation: the seed's master data carry all of it
        return
    taken = set()
    for step in steps:
        if step.order <= 40 and step.order not in taken:
            step.number = step.order
            taken.add(step.order)
            step.save(update_fields=["number"])
    phase, _ = Phase.objects.get_or_create(
        name=PLACEHOLDER_PHASE, defaults={"order": max(p.order for p in Phase.objects.all()) + 1}
    )
    orders = set(Step.objects.values_list("order", flat=True))
    names = set(Step.objects.values_list("name", flat=True))
    for number in range(1, 41):
        if number in taken or f"ステップ{number}" in names:
            continue
        order = 100 + number
        while order in orders:
            order += 100
        orders.add(order)
        Step.objects.create(
            phase=phase, name=f"ステップ{number}", order=order, number=number, verified=False
        )


class Migration(migrations.Migration):
    dependencies = [("standardization", "0003_national_detail")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
