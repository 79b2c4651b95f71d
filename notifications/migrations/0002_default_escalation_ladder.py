"""Seed the default overdue ladder (docs/design.md): day 1 owners and force lead; day 14 executive
sponsor; day 30 the force's inspectors, repeated every 7 days while overdue. Administrators
edit it in the Django admin afterwards; this migration never overwrites their changes."""

from django.db import migrations

DEFAULT_STEPS = [
    {"day": 1, "to_owners": True, "to_force_leads": True},
    {"day": 14, "to_executive_sponsors": True},
    {"day": 30, "to_inspectors": True, "repeat_every_days": 7},
]


def seed_ladder(apps, schema_editor):
    EscalationStep = apps.get_model("notifications", "EscalationStep")
    if EscalationStep.objects.exists():
        return
    EscalationStep.objects.bulk_create(EscalationStep(**step) for step in DEFAULT_STEPS)


def unseed_ladder(apps, schema_editor):
    apps.get_model("notifications", "EscalationStep").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_ledger")]

    operations = [migrations.RunPython(seed_ladder, unseed_ladder)]
