"""The reference every item carries wherever it is named.

The inspectorate's reference when it has one (9207/2); otherwise one made from its
inspection's short name, its kind and its place among the items of that kind in the inspection
("PEEL 2021/22 R3", "PEEL 2021/22 AFI 4"). It is given once, when the item is created, and
stored: it never changes when other items change, and never repeats within a force.
See docs/decisions/0001-item-references.md.
"""

from __future__ import annotations

from django.db.models import Q

from recommendations.models import Inspection, Item, ItemKind
from recommendations.models.findings import REFERENCE_MARKS
from recommendations.models.inspections import SHORT_NAME_MAX, short_name_from

__all__ = ["derived_reference", "next_display_reference", "unique_short_name"]


def derived_reference(short_name: str, kind: str, number: int) -> str:
    """ "PEEL 2021/22 R3": the third recommendation of the inspection so named."""
    return f"{short_name} {REFERENCE_MARKS[ItemKind(kind)]}{number}"


def unique_short_name(
    *, force_id: int | None, title: str, programme: str, published_on, exclude_pk=None
) -> str:
    """The short name an inspection gets: made from its programme and year(s), with " (2)",
    " (3)"… when another inspection of the same force (or a national one) already has it, so
    that no two of a force's items read the same."""
    base = short_name_from(title, programme, published_on)
    others = Inspection.objects.exclude(short_name="").exclude(pk=exclude_pk)
    if force_id is not None:
        others = others.filter(Q(force_id=force_id) | Q(force__isnull=True))
    taken = {
        name.casefold()
        for name in others.filter(short_name__istartswith=base[:20]).values_list(
            "short_name", flat=True
        )
    }
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = f"{base[: SHORT_NAME_MAX - len(suffix)]}{suffix}", n + 1
    return name


def next_display_reference(
    *, inspection: Inspection, force_id: int, kind: str, reference: str = ""
) -> str:
    """The reference a new item of `kind` gets in `inspection` for one force.

    The inspectorate's when given. Otherwise the next number after the items of that kind the
    inspection already holds for the force (in a national inspection each force's items are
    numbered alone), skipping any number already taken. The caller holds a lock on the
    inspection so that two items created at once cannot take the same number.
    """
    if reference:
        return reference
    siblings = Item.objects.filter(inspection=inspection, force_id=force_id)
    number = siblings.filter(kind=kind).count() + 1
    prefix = derived_reference(inspection.short_label, kind, 0)[:-1]
    taken = set(
        siblings.filter(display_reference__startswith=prefix).values_list(
            "display_reference", flat=True
        )
    )
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"
