import re
from datetime import date, timedelta

from django.conf import settings
from django.db import models

from recommendations.deadlines import anchor_date
from recommendations.vocabulary import Grade

# Police and crime commissioners must publish their response within 56 days of publication.
PCC_RESPONSE_DAYS = 56


class Programme(models.TextChoices):
    PEEL = "peel", "PEEL"
    CRIME_DATA_INTEGRITY = "crime-data-integrity", "Crime data integrity"
    THEMATIC = "thematic", "Thematic"
    ACCELERATED_CAUSE_OF_CONCERN = "accelerated-cause-of-concern", "Accelerated cause of concern"
    REVISIT_LETTER = "revisit-letter", "Revisit letter"
    OTHER = "other", "Other"


# A year or a span of years as titles write them: "2018", "2021/22", "2023–2025".
_YEARS = re.compile(r"\b(?:19|20)\d{2}(?!\d)(?:\s*[/–-]\s*(?:19|20)?\d{2}(?!\d))?")
SHORT_NAME_MAX = 50


def short_name_from(title: str, programme: str, published_on: date) -> str:
    """An inspection's short name when none is given: the programme and the year(s) its title
    names, else its publication year ("PEEL 2021/22", "Crime data integrity 2018")."""
    found = _YEARS.search(title or "")
    years = re.sub(r"\s+", "", found.group(0)) if found else str(published_on.year)
    known = programme in Programme.values and programme != Programme.OTHER
    return f"{Programme(programme).label if known else 'Inspection'} {years}"


class Inspection(models.Model):
    """One publication. A null force means a national publication addressed to all forces."""

    force = models.ForeignKey(
        "recommendations.Force",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    title = models.CharField(max_length=500)
    short_name = models.CharField(
        max_length=SHORT_NAME_MAX,
        blank=True,
        help_text="How its items' references begin, e.g. “PEEL 2021/22” in “PEEL 2021/22 R3”. "
        "Given at import or with its first item, then fixed.",
    )
    programme = models.CharField(max_length=40, choices=Programme.choices, default=Programme.OTHER)
    reference = models.CharField(max_length=50, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    published_on = models.DateField()
    source_url = models.URLField(max_length=500, blank=True)
    pcc_response_published_on = models.DateField(
        null=True, blank=True, verbose_name="PCC response published on"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by an inspector (services.inspection_publish): its findings are then on the public
    # register, which never shows an inspection without it.
    register_published_at = models.DateTimeField(
        null=True, blank=True, help_text="When an inspector put it on the public register."
    )
    register_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_on", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "title", "published_on"], name="one_publication_per_force"
            ),
            models.CheckConstraint(
                name="issued_on_or_before_publication",
                condition=models.Q(issued_on__isnull=True)
                | models.Q(issued_on__lte=models.F("published_on")),
            ),
            # Items' references begin with it, so two of a force's inspections never share it.
            models.UniqueConstraint(
                fields=["force", "short_name"],
                condition=~models.Q(short_name=""),
                name="one_short_name_per_force",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def short_label(self) -> str:
        """Its short name, or the one it would be given (it gets one with its first item)."""
        return self.short_name or short_name_from(self.title, self.programme, self.published_on)

    @property
    def on_register(self) -> bool:
        return self.register_published_at is not None

    @property
    def anchor_on(self) -> date:
        """What the inspection's relative deadlines run from (`deadlines.anchor_date`)."""
        return anchor_date(issued_on=self.issued_on, published_on=self.published_on)

    @property
    def pcc_response_due_on(self) -> date:
        return self.published_on + timedelta(days=PCC_RESPONSE_DAYS)


class GradedJudgment(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgments")
    area = models.CharField(max_length=200)
    grade = models.CharField(max_length=32, choices=Grade.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["inspection", "position", "area"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "area"], name="one_grade_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.get_grade_display()}"
