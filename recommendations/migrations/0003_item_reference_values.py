# Existing rows get their references (docs/decisions/0001-item-references.md): inspections
# a short name, items without the inspectorate's reference one made from that name, their kind
# and their place among the items of that kind in the inspection.

from collections import defaultdict

from django.db import migrations

from recommendations.models.findings import REFERENCE_MARKS
from recommendations.models.inspections import SHORT_NAME_MAX, short_name_from

BATCH = 2000


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = f"{base[: SHORT_NAME_MAX - len(suffix)]}{suffix}", n + 1
    return name


def name_inspections(Inspection) -> dict[int, str]:
    """Oldest first, so the earlier publication keeps the plain name."""
    by_force: dict[int, set[str]] = defaultdict(set)
    national: set[str] = set()
    names = {}
    inspections = Inspection.objects.order_by("published_on", "pk")
    for inspection in inspections.only("pk", "force_id", "title", "programme", "published_on"):
        if inspection.force_id is None:
            taken = national.union(*by_force.values())
        else:
            taken = by_force[inspection.force_id] | national
        name = inspection.short_name or _unique(
            short_name_from(inspection.title, inspection.programme, inspection.published_on),
            taken,
        )
        (national if inspection.force_id is None else by_force[inspection.force_id]).add(
            name.casefold()
        )
        if name != inspection.short_name:
            inspection.short_name = name
            inspection.save(update_fields=["short_name"])
        names[inspection.pk] = name
    return names


def number_items(apps, schema_editor):
    Inspection = apps.get_model("recommendations", "Inspection")
    Item = apps.get_model("recommendations", "Item")
    names = name_inspections(Inspection)
    numbers: dict[tuple, int] = defaultdict(int)
    taken: dict[tuple, set[str]] = defaultdict(set)
    items = Item.objects.order_by("inspection_id", "force_id", "position", "pk").only(
        "pk", "inspection_id", "force_id", "kind", "reference"
    )
    # Inspectorate references first, so a derived one never takes the same text (derived ones
    # always hold a space, so only references with one can clash).
    for item in items.filter(reference__contains=" "):
        taken[(item.inspection_id, item.force_id)].add(item.reference)
    batch = []
    for item in items.iterator(chunk_size=BATCH):
        group = (item.inspection_id, item.force_id)
        numbers[(*group, item.kind)] += 1
        if item.reference:
            item.display_reference = item.reference
        else:
            mark = REFERENCE_MARKS.get(item.kind, "R")
            number = numbers[(*group, item.kind)]
            while f"{names[item.inspection_id]} {mark}{number}" in taken[group]:
                number += 1
            item.display_reference = f"{names[item.inspection_id]} {mark}{number}"
            taken[group].add(item.display_reference)
        batch.append(item)
        if len(batch) >= BATCH:
            Item.objects.bulk_update(batch, ["display_reference"])
            batch = []
    Item.objects.bulk_update(batch, ["display_reference"])


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0002_item_reference_fields")]

    operations = [migrations.RunPython(number_items, migrations.RunPython.noop, elidable=True)]
