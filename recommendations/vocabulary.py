"""The inspectorate's vocabulary as the models declare it: the register's statuses, the kinds of
finding and the grades. Declared here, outside ``recommendations.models``, so that the
publication parser (``recommendations.importing``), which runs without Django's settings or
database, reads the same choices; the models import them from here and export them as their
own (``recommendations.models.Status``)."""

from django.db.models import TextChoices


class Status(TextChoices):
    """The inspectorate's register vocabulary; the slugs are the register's own."""

    AWAITING_REVIEW = "awaiting-review", "Awaiting review"
    BEING_PROGRESSED = "being-progressed", "Being progressed"
    COMPLETE = "complete", "Complete"
    NO_FURTHER_ACTION_NEEDED = "no-further-action-needed", "No further action needed"


OPEN_STATUSES = (Status.AWAITING_REVIEW, Status.BEING_PROGRESSED)
CLOSED_STATUSES = (Status.COMPLETE, Status.NO_FURTHER_ACTION_NEEDED)


class ItemKind(TextChoices):
    RECOMMENDATION = "recommendation", "Recommendation"
    AREA_FOR_IMPROVEMENT = "area-for-improvement", "Area for improvement"


class Grade(TextChoices):
    """The inspectorate's five-tier scale, best first."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    ADEQUATE = "adequate", "Adequate"
    REQUIRES_IMPROVEMENT = "requires-improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
