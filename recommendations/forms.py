"""Forms: they validate input and hand clean values to one service each."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings

from accounts.models import User
from accounts.selectors import force_members
from recommendations.forms_dates import GovUKDateField
from recommendations.models import ActionStatus, Item, ItemKind, MonitoringStage, Status
from recommendations.selectors import item_of_force_by_reference
from recommendations.services import item_version

# The GOV.UK Frontend class for each kind of widget; anything else is a text input.
_WIDGET_CLASSES = [
    (forms.Textarea, "govuk-textarea"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.Select, "govuk-select"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
]


def _govuk_class(widget: forms.Widget) -> str:
    return next((css for cls, css in _WIDGET_CLASSES if isinstance(widget, cls)), "govuk-input")


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field `name` (whose choices are set per request)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), f"{name} is a choice field"
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's model choice field `name` (whose queryset is set per request)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField), f"{name} is a model choice field"
    return field


# The mixin is only ever mixed into forms: tell the type checker so, not the runtime MRO.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class GovUKFormMixin(_FormBase):
    """Adds GOV.UK Frontend classes to every widget, and the error state to invalid ones.
    Dates are GovUKDateFields, which word and highlight their own errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, GovUKDateField):
                continue
            field.widget.attrs.setdefault("class", _govuk_class(field.widget))
            # GOV.UK error wording: say what to do, naming the field.
            label = str(field.label or name.replace("_", " ")).lower()
            verb = "Choose" if isinstance(field, forms.ChoiceField | forms.FileField) else "Enter"
            field.error_messages["required"] = f"{verb} {label}"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is None or isinstance(field, GovUKDateField):
                continue
            attrs = field.widget.attrs
            attrs["class"] = f"{attrs['class']} {attrs['class'].split()[0]}--error"


class TransitionForm(GovUKFormMixin, forms.Form):
    """One question: what to do with the item now, among the transitions this user may make.

    With one choice the question is a button; the comment rule and its wording come from the
    chosen transition. `seen_version` carries the version of the item the page showed.
    """

    transition = forms.ChoiceField(label="What do you want to do?", widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    superseded_by = forms.CharField(
        label="Reference of the item that replaces it",
        required=False,
        max_length=50,
        help_text="Only when stopping tracking because another item supersedes it, "
        "for example 9207/2.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    seen_version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    confirmed = forms.BooleanField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, transitions, item: Item, **kwargs):
        kwargs.setdefault("prefix", "decision")
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("seen_version", item_version(item))
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["transition"].error_messages["required"] = "Choose what to do with this item"
        self.fields["transition"].error_messages["invalid_choice"] = (
            "Choose one of the options offered for this item"
        )
        self.infos = {info.name: info for info in transitions}
        choice_field(self, "transition").choices = [(i.name, i.choice) for i in transitions]
        if len(transitions) == 1:
            only = transitions[0]
            self.fields["transition"].widget = forms.HiddenInput(attrs={"class": "govuk-input"})
            self.fields["transition"].initial = only.name
            self.fields["comment"].label = only.comment_label
        if "stop_tracking" not in self.infos:
            del self.fields["superseded_by"]

    @property
    def single(self):
        """The one transition offered, when there is no choice to make."""
        return next(iter(self.infos.values())) if len(self.infos) == 1 else None

    @property
    def chosen(self):
        return self.infos.get(self.cleaned_data.get("transition", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None, "Form.clean returns cleaned_data"
        info = self.infos.get(data.get("transition", ""))
        if info is None:
            return data
        if info.comment_required and not (data.get("comment") or "").strip():
            self.add_error("comment", info.comment_error)
        reference = (data.get("superseded_by") or "").strip()
        data["superseded_by"] = None
        if reference and info.name == "stop_tracking":
            successor = item_of_force_by_reference(self.item.force_id, reference)
            if successor is None or successor.pk == self.item.pk:
                self.add_error(
                    "superseded_by", f"Enter the reference of another item of {self.item.force}"
                )
            data["superseded_by"] = successor
        return data


class DueDateForm(GovUKFormMixin, forms.Form):
    due_on = GovUKDateField(label="New due date")
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The inspector is told, and the original due date is kept.",
    )


class OwnerForm(GovUKFormMixin, forms.Form):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Owner")

    def __init__(self, *args, item: Item, members: list[User] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_members(self, item, members)


class ActionForm(GovUKFormMixin, forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    target_on = GovUKDateField(label="Target date", required=False)
    status = forms.ChoiceField(choices=ActionStatus.choices, initial=ActionStatus.NOT_STARTED)

    def __init__(self, *args, item: Item, members: list[User] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_members(self, item, members)


def _offer_members(form: forms.Form, item: Item, members: list[User] | None) -> None:
    """The owner question offers the force's members: validated against the database, and
    shown from `members` when the page read them once for all its forms."""
    field = model_choice_field(form, "owner")
    field.queryset = force_members(item.force_id)
    if members is not None:
        field.choices = [("", field.empty_label), *((user.pk, str(user)) for user in members)]


class ProgressUpdateForm(GovUKFormMixin, forms.Form):
    text = forms.CharField(
        label="Progress update", widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )


class EvidenceForm(GovUKFormMixin, forms.Form):
    description = forms.CharField(max_length=500)
    file = forms.FileField(required=False, help_text="")
    url = forms.URLField(label="Or a link", required=False, max_length=1000, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_mb = settings.TRACKER_EVIDENCE_MAX_BYTES // (1024 * 1024)
        allowed = ", ".join(sorted(settings.TRACKER_EVIDENCE_TYPES))
        self.fields["file"].help_text = f"Up to {limit_mb} MB. Allowed types: {allowed}."

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        if upload.size > settings.TRACKER_EVIDENCE_MAX_BYTES:
            limit_mb = settings.TRACKER_EVIDENCE_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"The file must be smaller than {limit_mb} MB.")
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty.")
        extension = Path(upload.name).suffix.lower().lstrip(".")
        if extension not in settings.TRACKER_EVIDENCE_TYPES:
            raise forms.ValidationError(
                "The file must be one of: " + ", ".join(sorted(settings.TRACKER_EVIDENCE_TYPES))
            )
        head = upload.read(8)
        upload.seek(0)
        if not _content_matches(extension, head):
            raise forms.ValidationError(f"The file’s content is not a valid .{extension} file.")
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None, "Form.clean returns cleaned_data"
        if not self.errors and bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError("Attach either a file or a link (not both).")
        return cleaned


# Leading bytes of each allowed type: the extension alone is not trusted.
_SIGNATURES = {
    "pdf": (b"%PDF",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
}


def _content_matches(extension: str, head: bytes) -> bool:
    if extension in ("txt", "csv"):
        return b"\x00" not in head
    return any(head.startswith(sig) for sig in _SIGNATURES.get(extension, ()))


# Whose turn, as filters beside the register's statuses.
TURN_FILTERS = [
    ("new", "New: the force to plan its response"),
    ("submitted", "Submitted: the inspector's turn"),
    ("returned", "Returned to the force"),
]


class ItemFilterForm(GovUKFormMixin, forms.Form):
    """Filters for item lists; every value is checked against what the user may see."""

    DUE_WINDOWS = [
        ("", "Any time"),
        ("overdue", "Overdue"),
        ("30", "Due in the next 30 days"),
        ("90", "Due in the next 90 days"),
        ("none", "No deadline"),
    ]
    q = forms.CharField(label="Search", required=False, max_length=200)
    inspection = forms.TypedChoiceField(label="Inspection", required=False, coerce=int)
    kind = forms.ChoiceField(label="Kind", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int)
    due = forms.ChoiceField(label="Due", required=False, choices=DUE_WINDOWS)
    # A cause of concern's recommendations ("none": those under no cause), as the inspection
    # page links to them; not offered as a question of its own.
    cause = forms.RegexField(
        regex=r"^(?:none|[0-9]{1,10})$", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, inspections, owners, **kwargs):
        super().__init__(*args, **kwargs)
        choice_field(self, "inspection").choices = [("", "All inspections")] + [
            (i.pk, str(i)) for i in inspections
        ]
        choice_field(self, "kind").choices = [("", "All kinds"), *ItemKind.choices]
        choice_field(self, "status").choices = [
            ("", "Open (awaiting review or being progressed)"),
            ("all", "All statuses"),
            *Status.choices,
            *TURN_FILTERS,
        ]
        choice_field(self, "owner").choices = [("", "Anyone")] + [(u.pk, str(u)) for u in owners]


class CloseCauseOfConcernForm(GovUKFormMixin, forms.Form):
    closed_on = GovUKDateField(label="Date of the closing letter")
    letter_reference = forms.CharField(label="Reference of the closing letter", max_length=200)
    # Asked only while some of its recommendations are open (the service insists on it).
    close_anyway = forms.BooleanField(label="Close it anyway", required=False)

    def __init__(self, *args, has_open_recommendations: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_open_recommendations:
            del self.fields["close_anyway"]


class ReopenCauseOfConcernForm(GovUKFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for reopening it",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text="It is kept in the cause of concern's history, with the closing letter.",
    )


class MonitoringStageForm(GovUKFormMixin, forms.Form):
    stage = forms.ChoiceField(choices=MonitoringStage.choices, widget=forms.RadioSelect)
    started_on = GovUKDateField(label="Date the stage started")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
