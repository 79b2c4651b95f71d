# Every item gets the reference it is shown by (docs/decisions/0001-item-references.md): first
# the fields, then (0003) their values for existing rows, then (0004) the constraints.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="inspection",
            name="short_name",
            field=models.CharField(
                blank=True,
                help_text="How its items' references begin, e.g. “PEEL 2021/22” in "
                "“PEEL 2021/22 R3”. Given at import or with its first item, then fixed.",
                max_length=50,
            ),
        ),
        migrations.AddField(
            model_name="item",
            name="display_reference",
            field=models.CharField(
                default="",
                editable=False,
                help_text="The reference shown wherever the item is named: the inspectorate's, "
                "or one made from its inspection's short name and its position there.",
                max_length=80,
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="item",
            name="reference",
            field=models.CharField(
                blank=True, help_text="The inspectorate's reference, where known.", max_length=50
            ),
        ),
    ]
