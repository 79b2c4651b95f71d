"""factory-boy factories for the domain. Dates are fixed so tests do not depend on today."""

from datetime import UTC, date, datetime, timedelta

import factory
from django.utils.text import slugify

from accounts.models import Role, User
from recommendations.deadlines import DeadlineRule
from recommendations.models import (
    Action,
    CauseOfConcern,
    ExtensionRequest,
    Force,
    Inspection,
    Item,
    ItemKind,
    Programme,
    Status,
)
from recommendations.services.findings import item_reference_allocate


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Testshire Police {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.gov.uk")
    role = Role.FORCE_LEAD
    force = factory.SubFactory(ForceFactory)
    password = factory.django.Password("correct-horse-battery")


class ForceLeadFactory(UserFactory):
    role = Role.FORCE_LEAD


class ActionOwnerFactory(UserFactory):
    role = Role.ACTION_OWNER


class SponsorFactory(UserFactory):
    role = Role.EXECUTIVE_SPONSOR


class InspectorFactory(UserFactory):
    role = Role.INSPECTOR
    force = None

    @factory.post_generation
    def forces(self, create, extracted, **kwargs):
        if create and extracted:
            self.inspected_forces.set(extracted)


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR
    force = None
    is_staff = True


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    force = factory.SubFactory(ForceFactory)
    title = factory.Sequence(lambda n: f"PEEL inspection {n}")
    programme = Programme.PEEL
    published_on = date(2024, 1, 15)


class CauseOfConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CauseOfConcern

    inspection = factory.SubFactory(InspectionFactory)
    force = factory.SelfAttribute("inspection.force")
    text = "The force is not recording crime accurately."


class ItemFactory(factory.django.DjangoModelFactory):
    """A recommendation due three months after publication, submitted and awaiting review
    (`new=True`: published and never submitted, the force's turn)."""

    class Meta:
        model = Item

    class Params:
        new = False

    kind = ItemKind.RECOMMENDATION
    inspection = factory.SubFactory(InspectionFactory)
    force = factory.SelfAttribute("inspection.force")
    reference = factory.Sequence(lambda n: f"R{n}")
    text = "Within three months, the force should review its crime recording."
    deadline_rule = DeadlineRule.RELATIVE
    deadline_phrase = "Within three months"
    due_on = date(2024, 4, 15)
    original_due_on = factory.SelfAttribute("due_on")
    status = Status.AWAITING_REVIEW
    submitted_at = factory.LazyAttribute(
        lambda o: (
            None
            if o.new or o.status != Status.AWAITING_REVIEW
            else datetime(2024, 3, 1, 12, tzinfo=UTC)
        )
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Numbered as `services.item_create` numbers it (the factory bypasses the service)."""
        if not kwargs.get("display_reference"):
            kwargs["display_reference"] = item_reference_allocate(
                inspection=kwargs["inspection"],
                force=kwargs["force"],
                kind=kwargs["kind"],
                reference=kwargs.get("reference", ""),
            )
        return super()._create(model_class, *args, **kwargs)


class AreaForImprovementFactory(ItemFactory):
    kind = ItemKind.AREA_FOR_IMPROVEMENT
    text = "The force should improve how it communicates with the public."
    deadline_rule = DeadlineRule.NONE
    deadline_phrase = ""
    due_on = None


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    item = factory.SubFactory(ItemFactory)
    description = "Review control room processes"


# --- Added for the web tests (views, exports, query counts). Models named by label, so no
# import is needed here at the end of the module. ------------------------------------------


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recommendations.ProgressUpdate"

    item = factory.SubFactory(ItemFactory)
    author = factory.SubFactory(ForceLeadFactory, force=factory.SelfAttribute("..item.force"))
    text = "We have rewritten the crime recording policy."


class LinkEvidenceFactory(factory.django.DjangoModelFactory):
    """Evidence that is a link (the model wants a file or a link, never both)."""

    class Meta:
        model = "recommendations.Evidence"

    item = factory.SubFactory(ItemFactory)
    uploaded_by = factory.SubFactory(ForceLeadFactory, force=factory.SelfAttribute("..item.force"))
    description = factory.Sequence(lambda n: f"Evidence {n}")
    url = "https://example.gov.uk/evidence"


class FileEvidenceFactory(LinkEvidenceFactory):
    url = ""
    file = factory.django.FileField(filename="evidence.pdf", data=b"%PDF-1.4\n% test file\n")


class TimelineEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recommendations.TimelineEntry"

    item = factory.SubFactory(ItemFactory)
    kind = "comment"
    comment = factory.Sequence(lambda n: f"Timeline comment {n}")


class GradedJudgmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recommendations.GradedJudgment"

    inspection = factory.SubFactory(InspectionFactory)
    area = factory.Sequence(lambda n: f"Area {n}")
    grade = "good"


class MonitoringStageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recommendations.MonitoringStageChange"

    force = factory.SubFactory(ForceFactory)
    stage = "scan"
    started_on = date(2024, 1, 1)


class NotificationFactory(factory.django.DjangoModelFactory):
    """A planned ledger row: a due reminder for an item, to its force's lead."""

    class Meta:
        model = "notifications.Notification"

    item = factory.SubFactory(ItemFactory)
    recipient = factory.SubFactory(ForceLeadFactory, force=factory.SelfAttribute("..item.force"))
    kind = "due-reminder"
    due_on = factory.SelfAttribute("item.due_on")
    level = -7
    key = factory.LazyAttribute(lambda o: f"before-7@{o.due_on}")
    planned_for = factory.LazyAttribute(lambda o: o.due_on)


class NotificationPreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.NotificationPreference"

    user = factory.SubFactory(ForceLeadFactory)
    kind = "due-reminder"
    delivery = "immediately"


class ExtensionRequestFactory(factory.django.DjangoModelFactory):
    """A force lead's request, waiting for the inspector, for a due date a month later."""

    class Meta:
        model = ExtensionRequest

    item = factory.SubFactory(ItemFactory, status=Status.BEING_PROGRESSED)
    requested_by = factory.SubFactory(
        "tests.factories.ForceLeadFactory", force=factory.SelfAttribute("..item.force")
    )
    due_from = factory.SelfAttribute("item.due_on")
    due_on = factory.LazyAttribute(lambda o: o.item.due_on + timedelta(days=30))
    reason = "The audit needs another month."
