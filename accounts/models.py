"""Users and their roles.

Force staff (improvement lead, action owner, executive sponsor) belong to exactly one force;
inspectors are assigned to the forces they oversee; administrators belong to none. What each
role may see and do is decided in `recommendations.rules` alone.
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
    # Not a column: the ids of the forces an inspector inspects, cached on the instance by
    # recommendations.rules (or loaded for a batch by notifications.recipients).
    _inspected_force_ids: frozenset[int] | None

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


class SavedView(models.Model):
    """A list's filters saved by one user under a name, to open the list that way again.

    Only the item list and force dashboards are saved (see `accounts.services`); a saved view
    is its owner's alone.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=100)
    path = models.CharField(
        max_length=200, help_text="The list's address: /items/ or a force's dashboard."
    )
    query = models.CharField(
        max_length=1000, blank=True, help_text="The list's filters, as a query string."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_name_unique_per_user")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path
