"""Forms of the import screens: the source (upload, paste or web address), the publication's
details on the preview, and one form per preview row. Each offers only the forces the inspector
is assigned to, so a forged force is refused by validation before the service refuses it again.
The forms validate what was entered; reading the publication is `importing.intake`'s."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms

from accounts.selectors import inspected_forces
from recommendations.deadlines import DeadlineRule
from recommendations.forms import GovUKFormMixin, choice_field, model_choice_field
from recommendations.forms_dates import GovUKDateField
from recommendations.importing.fetch import MAX_URL_LENGTH
from recommendations.importing.metadata import names_other_force
from recommendations.importing.parser import MAX_CHARACTERS
from recommendations.importing.preview import SPLIT_MARKER, RowEdit
from recommendations.importing.sources import import_max_bytes, size_limit_message
from recommendations.importing.structure import (
    AREA_FOR_IMPROVEMENT,
    CAUSE_OF_CONCERN,
    RECOMMENDATION,
)
from recommendations.models import Force, Programme

UPLOAD_TYPES = (".pdf", ".txt", ".html", ".htm", ".docx")
KIND_CHOICES = [
    (CAUSE_OF_CONCERN, "Cause of concern"),
    (RECOMMENDATION, "Recommendation"),
    (AREA_FOR_IMPROVEMENT, "Area for improvement"),
]
NOT_YOUR_FORCE = "Choose one of the forces you inspect."


def _force_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=Force.objects.none(),
        label="Force",
        empty_label="Choose a force",
        error_messages={"required": "Choose the force.", "invalid_choice": NOT_YOUR_FORCE},
    )


def _issued_on_field(help_text: str) -> GovUKDateField:
    return GovUKDateField(label="Date issued to the force", required=False, help_text=help_text)


def _source_url_field() -> forms.URLField:
    return forms.URLField(
        label="Web address of the publication",
        required=False,
        max_length=500,
        assume_scheme="https",
    )


def _check_dates(form: forms.Form, cleaned: dict) -> None:
    published, issued = cleaned.get("published_on"), cleaned.get("issued_on")
    if published and issued and issued > published:
        form.add_error("issued_on", "The issue date must be on or before the publication date.")


class ImportSourceForm(GovUKFormMixin, forms.Form):
    """Step 1: a file, pasted text or a web address, the force, and optionally the programme
    and dates (dates given here override dates stated in the text)."""

    file = forms.FileField(
        label="Upload a file",
        required=False,
        error_messages={"empty": "The file is empty."},
    )
    text = forms.CharField(
        label="Or paste the text",
        required=False,
        max_length=MAX_CHARACTERS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="A register page, report or letter, as copied from the web page or PDF.",
    )
    url = forms.CharField(
        label="Or fetch it from its web address",
        required=False,
        max_length=MAX_URL_LENGTH,
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
        help_text="A publication’s page or file on the inspectorate’s website "
        "(hmicfrs.justiceinspectorates.gov.uk).",
    )
    force = _force_field()
    programme = forms.ChoiceField(
        choices=[("", "Work it out from the title"), *Programme.choices], required=False
    )
    published_on = GovUKDateField(
        label="Publication date",
        required=False,
        help_text="Leave blank to use the date the text states.",
    )
    issued_on = _issued_on_field("Deadlines run from this date when it is known.")
    source_url = _source_url_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        forces = inspected_forces(user)
        model_choice_field(self, "force").queryset = forces
        if len(forces) == 1:
            self.fields["force"].initial = forces[0].pk
        limit_mb = import_max_bytes() / (1024 * 1024)
        self.fields["file"].help_text = (
            f"A PDF, a saved web page, a Word document or a text file (.pdf, .html, .docx or "
            f".txt), up to {limit_mb:g} MB."
        )
        self.fields["file"].widget.attrs["accept"] = ",".join(UPLOAD_TYPES)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return upload
        if upload.size > import_max_bytes():
            raise forms.ValidationError(size_limit_message())
        if Path(upload.name).suffix.lower() not in UPLOAD_TYPES:
            raise forms.ValidationError(
                "The file must be a PDF, a saved web page, a Word document or a text file "
                "(.pdf, .html, .docx or .txt)."
            )
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None, "Form.clean returns cleaned_data"
        _check_dates(self, cleaned)
        if self.errors:
            return cleaned
        upload = cleaned.get("file")
        pasted, url = cleaned.get("text") or "", (cleaned.get("url") or "").strip()
        given = [bool(upload), bool(pasted.strip()), bool(url)]
        if sum(given) > 1:
            raise forms.ValidationError(
                "Give the publication one way: upload a file, paste the text or give its web "
                "address (not both)."
            )
        if not any(given):
            self.add_error(
                "file",
                "Upload a file, or paste the text of the publication, or give its web address.",
            )
        cleaned["url"] = url
        return cleaned

    @property
    def source_field(self) -> str:
        """The field a message about reading the publication belongs to."""
        data = self.cleaned_data
        return "file" if data.get("file") else "url" if data.get("url") else "text"

    def read_arguments(self) -> dict:
        """What `intake.publication_read` needs to read the publication given."""
        data = self.cleaned_data
        upload = data.get("file")
        arguments = {"published_on": data.get("published_on"), "issued_on": data.get("issued_on")}
        if upload:
            return {**arguments, "data": upload.read(), "filename": upload.name}
        if data.get("url"):
            return {**arguments, "url": data["url"]}
        return {**arguments, "text": data.get("text") or ""}


class PreviewForm(GovUKFormMixin, forms.Form):
    """The publication's details on the preview; title and publication date are required when
    confirming the import."""

    title = forms.CharField(label="Title", max_length=500, required=False)
    force = _force_field()
    programme = forms.ChoiceField(choices=Programme.choices)
    published_on = GovUKDateField(label="Publication date", required=False)
    issued_on = _issued_on_field(
        "Deadlines run from this date when known, otherwise from the publication date."
    )
    source_url = _source_url_field()
    confirm_force = forms.BooleanField(
        label="I have checked: this publication is for the force chosen above",
        required=False,
    )

    _NEEDED_TO_CONFIRM = {
        "title": "Enter the publication’s title.",
        "published_on": "Enter the publication date: the text does not state it.",
    }

    def __init__(self, *args, user, confirming: bool = False, named_forces=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.confirming = confirming
        self.named_forces = [name for name in named_forces if isinstance(name, str)]
        model_choice_field(self, "force").queryset = inspected_forces(user)
        for name, message in self._NEEDED_TO_CONFIRM.items():
            self.fields[name].required = confirming or not self.is_bound
            self.fields[name].error_messages["required"] = message

    def full_clean(self):
        super().full_clean()
        # Shown as required (no "optional"), though a re-preview may leave them blank.
        for name in self._NEEDED_TO_CONFIRM:
            self.fields[name].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None, "Form.clean returns cleaned_data"
        _check_dates(self, cleaned)
        force = cleaned.get("force")
        other = force and names_other_force(self.named_forces, force.name)
        if other and force and self.confirming and not cleaned.get("confirm_force"):
            self.add_error(
                "confirm_force",
                f"The text is about {other}, not {force.name}: choose the right force, or "
                "confirm that it is this one.",
            )
        return cleaned

    def other_force(self) -> str:
        """The force the text names instead of the chosen one ("" when they agree)."""
        force = self.cleaned_data.get("force") if hasattr(self, "cleaned_data") else None
        if force is None:
            forces = model_choice_field(self, "force").queryset
            assert forces is not None, "set in __init__"
            force = forces.filter(pk=self.initial.get("force")).first()
        return names_other_force(self.named_forces, force.name) if force else ""

    def state_values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": " ".join(data["title"].split()),
            "force": data["force"].pk,
            "programme": data["programme"],
            "published_on": data["published_on"].isoformat() if data["published_on"] else None,
            "issued_on": data["issued_on"].isoformat() if data["issued_on"] else None,
            "source_url": data["source_url"],
        }

    @staticmethod
    def initial_from(state: dict) -> dict:
        return {name: state.get(name) for name in ("title", "force", "programme", "source_url")} | {
            "published_on": state.get("published_on"),
            "issued_on": state.get("issued_on"),
        }


class PreviewRowForm(GovUKFormMixin, forms.Form):
    """One finding of the preview: its kind, reference, text (a line holding only ``---``
    splits it), cause of concern, deadline, and whether to merge it up or delete it."""

    kind = forms.ChoiceField(label="Kind", choices=KIND_CHOICES)
    reference = forms.CharField(label="Reference", max_length=50, required=False)
    text = forms.CharField(
        label="Text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"A line holding only {SPLIT_MARKER} splits this into two items.",
    )
    parent = forms.TypedChoiceField(
        label="Cause of concern", required=False, coerce=int, empty_value=None
    )
    rule = forms.ChoiceField(
        label="Deadline rule",
        required=False,
        choices=[("", "Read it from the text"), *DeadlineRule.choices],
    )
    phrase = forms.CharField(label="Deadline phrase", max_length=200, required=False)
    due_on = GovUKDateField(label="Or set the due date", required=False, error_name="due date")
    merge = forms.BooleanField(label="Merge into the item above", required=False)
    delete = forms.BooleanField(label="Delete", required=False)

    def __init__(self, *args, row: dict, causes: list[tuple[int, str]], **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "kind": row["kind"],
                "reference": row["reference"],
                "text": row["text"],
                "parent": row["parent"],
                "rule": row["deadline"]["rule"],
                "phrase": row["deadline"]["phrase"],
            },
        )
        super().__init__(*args, prefix=f"row-{row['uid']}", **kwargs)
        self.row = row
        choice_field(self, "parent").choices = [
            ("", "None: directly under the inspection"),
            *causes,
        ]
        self.fields["parent"].error_messages["invalid_choice"] = "Choose a cause of concern above."
        self.fields["reference"].widget.attrs["class"] += " govuk-input--width-5"
        for name in ("kind", "parent", "rule", "phrase"):
            self.fields[name].widget.attrs["class"] += " govuk-!-width-full"

    def to_edit(self) -> RowEdit:
        data = self.cleaned_data
        return RowEdit(
            kind=data["kind"],
            reference=data["reference"],
            text=data["text"],
            parent=data["parent"],
            rule=data["rule"],
            phrase=data["phrase"],
            due_on=data["due_on"],
            merge=data["merge"],
            delete=data["delete"],
        )
