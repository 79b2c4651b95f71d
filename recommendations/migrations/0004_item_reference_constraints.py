from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_item_reference_values")]

    operations = [
        migrations.AddConstraint(
            model_name="inspection",
            constraint=models.UniqueConstraint(
                condition=models.Q(("short_name", ""), _negated=True),
                fields=("force", "short_name"),
                name="one_short_name_per_force",
            ),
        ),
        migrations.AddConstraint(
            model_name="item",
            constraint=models.CheckConstraint(
                condition=models.Q(("display_reference", ""), _negated=True),
                name="item_has_a_display_reference",
            ),
        ),
        migrations.AddConstraint(
            model_name="item",
            constraint=models.UniqueConstraint(
                fields=("inspection", "force", "display_reference"),
                name="item_display_reference_unique_per_inspection",
            ),
        ),
    ]
