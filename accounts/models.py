"""Users and their roles.

Force staff (improvement lead, action owner, executive sponsor) belong to exactly one force;
inspectors are assigned to the forces they oversee; administrators belong to none.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    FORCE_LEAD = "force-lead", "Force improvement lead"
    ACTION_OWNER = "action-owner", "Action owner"
    EXECUTIVE_SPONSOR = "executive-sponsor", "Executive sponsor"
    INSPECTOR = "inspector", "Inspector"
    ADMINISTRATOR = "administrator", "Administrator"
    # An account made at its first single sign-on (TRACKER_OIDC_CREATE_USERS): it sees and may
    # do nothing until an administrator gives it a role (and a force).
    NONE = "", "No role yet"


FORCE_ROLES = (Role.FORCE_LEAD, Role.ACTION_OWNER, Role.EXECUTIVE_SPONSOR)


class User(AbstractUser):
    role = models.CharField(
        max_length=32, choices=Role.choices, default=Role.ACTION_OWNER, blank=True
    )
    force = models.ForeignKey(
        "recommendations.Force",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="The force a force lead, action owner or executive sponsor works for.",
    )
    inspected_forces = models.ManyToManyField(
        "recommendations.Force",
        blank=True,
        related_name="inspectors",
        help_text="The forces an inspector oversees.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="force_staff_have_exactly_one_force",
                condition=(
                    Q(role__in=[r.value for r in FORCE_ROLES], force__isnull=False)
                    | (~Q(role__in=[r.value for r in FORCE_ROLES]) & Q(force__isnull=True))
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_force_staff(self) -> bool:
        return self.role in FORCE_ROLES

    @property
    def is_inspector(self) -> bool:
        return self.role == Role.INSPECTOR

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_superuser
