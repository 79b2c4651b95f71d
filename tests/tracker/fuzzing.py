"""Values and forms for the fuzzing test: hostile values of every kind, plausible ones that a
form accepts, and the forms of a page read from its HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = "tests/fixtures/publications"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# --- Values ---------------------------------------------------------------------------------


def _column_lengths() -> list[int]:
    lengths = {
        f.max_length
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if getattr(f, "max_length", None)
    }
    return sorted(lengths | {255, 256})


NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\n",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    str(2**63),
    str(-(2**63) - 1),
    "9" * 40,
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2024-02-30",
    "2024-13-01",
    "31/12/2024",
    "1/1/1",
    "true",
    "null",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "'; DROP TABLE x; --",
    "../../../../etc/passwd",
    "%00",
    "\u202e\u0301\ufeff",
    "😀" * 10,
    "https://example.gov.uk/" + "a" * 2000,
    "javascript:alert(1)",
]
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=200)
PAST_A_COLUMN = st.tuples(st.sampled_from(_column_lengths()), st.sampled_from("aé报😀")).map(
    lambda pair: pair[1] * (pair[0] + 1)
)
NUMBERS = st.integers(min_value=-(2**80), max_value=2**80).map(str)
DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
ANY_VALUE = st.one_of(st.sampled_from(NASTY), TEXT, PAST_A_COLUMN, NUMBERS, DATES)
ODD_FILE_NAMES = [
    "é" * 200 + ".pdf",
    "报" * 120 + ".pdf",
    "a" * 300 + ".pdf",
    "../../evil.pdf",
    "x\x00.pdf",
    ".pdf",
    "..pdf",
    "CON.pdf",
    "a\\b.pdf",
    " .pdf",
    "x.PDF",
    "x.pdf.exe",
    "😀.pdf",
    "policy.txt",
    "policy.csv",
    "policy.docx",
    "noextension",
]
FILE_NAMES = st.one_of(st.sampled_from(ODD_FILE_NAMES), TEXT.map(lambda s: s + ".pdf"))
FILES = st.builds(
    lambda name, content: SimpleUploadedFile(name, content, "application/octet-stream"),
    FILE_NAMES,
    st.one_of(st.just(PDF), st.just(b""), st.binary(max_size=300), st.just(b"PK\x03\x04" * 10)),
)
HEADERS = st.dictionaries(
    st.sampled_from(
        ["HTTP_USER_AGENT", "HTTP_ACCEPT_LANGUAGE", "HTTP_REFERER", "HTTP_X_FORWARDED_FOR"]
    ),
    st.one_of(st.sampled_from(NASTY), TEXT.map(lambda s: s.replace("\x00", ""))),
    max_size=2,
)


PLAUSIBLE = {
    "date": "2024-05-01",
    "url": "https://example.gov.uk/evidence",
    "email": "someone@example.gov.uk",
    "number": "3",
}
# A publication the import understands, for its "paste the text" field.
PLAUSIBLE_BY_NAME = {"text": (ROOT / FIXTURES / "register_cleveland_2018_9207.txt").read_text()}
# A file is an alternative to a link (evidence) or to pasted text (import): not both.
ALTERNATIVES_TO_A_FILE = ("url", "text")


def _base(name: str) -> str:
    return name.rsplit("-", 1)[-1]


def plausible(spec: FieldSpec, choose=lambda options: options[-1]):
    """A value the form should accept: what the page has selected or filled in, else one it
    offers or one of the field's type (or, for an optional-looking field, nothing).
    No file: uploads are always among the fuzzed fields."""
    if spec.kind == "file":
        return None
    if spec.default:
        return spec.default
    if spec.kind in ("checkbox", "radio"):
        return None  # as the page has it: not ticked
    offered = [v for v in spec.options if v]
    if offered:
        return offered[0]
    if spec.kind == "textarea" and spec.name in PLAUSIBLE_BY_NAME:
        return PLAUSIBLE_BY_NAME[spec.name]
    typed = PLAUSIBLE.get(spec.kind)
    if typed is not None:
        return choose(["", typed])
    return "Fuzzed but sensible text"


def fuzzed(spec: FieldSpec):
    """Anything: random or hostile values, several values, or none at all."""
    if spec.kind == "file":
        return FILES
    offered = [v for v in (spec.default, *spec.options) if v is not None]
    one = st.one_of(st.sampled_from(offered), ANY_VALUE) if offered else ANY_VALUE
    return st.one_of(one, one, st.lists(one, min_size=2, max_size=3), st.just(None))


def _without_alternatives_to_a_file(form: FormSpec, values: dict, keep=()) -> None:
    if any(form.fields[name].kind == "file" for name in values if name in form.fields):
        for name in [n for n in values if _base(n) in ALTERNATIVES_TO_A_FILE]:
            if name not in keep:
                del values[name]


# Values every field gets once, the others being plausible: past the longest column of any
# model, a NUL byte, a number past 64 bits; for dates, the extremes; for files, odd names.
SWEEP = {
    "date": ["0001-01-01", "9999-12-31", "2024-02-30"],
    "file": [SimpleUploadedFile(name, PDF, "application/pdf") for name in ODD_FILE_NAMES],
    None: ["报" * (max(_column_lengths()) + 1), "a\x00b", "9" * 40],
}


def sweep(form: FormSpec):
    """Each field of the form (once per name, whatever its row prefix) with each hostile
    value of its kind, every other field plausible."""
    done = set()
    for name, spec in sorted(form.fields.items()):
        if (spec.kind, _base(name)) in done:
            continue
        done.add((spec.kind, _base(name)))
        for value in SWEEP.get(spec.kind, SWEEP[None]):
            values = {n: plausible(s) for n, s in form.fields.items()}
            values[name] = value
            values = {n: v for n, v in values.items() if v is not None}
            _without_alternatives_to_a_file(form, values, keep={name})
            yield f"{name}={value!r:.40}", values


def form_values(data, form: FormSpec) -> dict:
    """Usually a valid form with one or two fields fuzzed (or left out), so that the view
    and the service behind it are reached; sometimes every field fuzzed."""
    names = sorted(form.fields)
    if not names:  # a button and its CSRF token only (sign out, revoke, mark all read)
        return {}
    if data.draw(st.integers(0, 3), label="all fields fuzzed") == 0:
        chosen = set(names)
    else:
        chosen = set(data.draw(st.lists(st.sampled_from(names), max_size=2), label="fuzzed"))
    left_out = set(data.draw(st.lists(st.sampled_from(names), max_size=1), label="left out"))

    def choose(options):
        return data.draw(st.sampled_from(options))

    values = {}
    for name in names:
        spec = form.fields[name]
        if name in chosen:
            value = data.draw(fuzzed(spec), label=name)
        else:
            value = None if name in left_out else plausible(spec, choose)
        if value is not None:
            values[name] = value
    _without_alternatives_to_a_file(form, values, keep=chosen)
    values |= data.draw(st.dictionaries(TEXT, ANY_VALUE, max_size=2), label="extra fields")
    return values


# --- Finding the forms ----------------------------------------------------------------------


@dataclass
class FieldSpec:
    name: str
    kind: str = "text"
    default: str | None = None
    options: list[str] = field(default_factory=list)


@dataclass
class FormSpec:
    action: str
    method: str
    fields: dict[str, FieldSpec] = field(default_factory=dict)

    def key(self) -> tuple:
        return (self.method, self.action, tuple(sorted(self.fields)))


class FormParser(HTMLParser):
    """The forms of a page: their action, method and fields with the values offered (the
    selected or checked one, or the text of a textarea, as the default)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url, self.forms, self.form = page_url, [], None
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(attrs.get("action") or self.page_url).path
            self.form = FormSpec(action, (attrs.get("method") or "get").lower())
            self.forms.append(self.form)
        elif tag == "option" and self.select is not None:
            self.select.options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select.default = attrs.get("value", "")
        elif self.form is not None and attrs.get("name") and tag in self.FIELDS:
            kind = attrs.get("type", tag if tag != "input" else "text")
            spec = self.form.fields.setdefault(attrs["name"], FieldSpec(attrs["name"], kind))
            if kind in ("radio", "checkbox", "submit") or tag == "button":
                spec.options.append(attrs.get("value", "on"))
                if "checked" in attrs:
                    spec.default = attrs.get("value", "on")
            elif attrs.get("value") is not None:
                spec.default = attrs["value"]
            self.select = spec if tag == "select" else None
            self.textarea = spec if tag == "textarea" else None

    FIELDS = ("input", "button", "textarea", "select")

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.default = (self.textarea.default or "") + data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            if self.textarea is not None and self.textarea.default:
                self.textarea.default = self.textarea.default.removeprefix("\n")
            self.textarea = None


def forms_on(page_url: str, html: str) -> list[FormSpec]:
    parser = FormParser(page_url)
    parser.feed(html)
    for form in parser.forms:
        form.fields.pop("csrfmiddlewaretoken", None)
    return parser.forms
