"""The form renderer: Django's templates (so templates/widgets/ can add GOV.UK ones), except
for selects, text inputs, text areas and the single options of radios and checkboxes (which
the GOV.UK field template lays out one by one), which are written here.

Django renders a select's every option through two template includes, and an input through
two or three; a page's filters and forms hold a few hundred options and a dozen inputs, which
cost 5 to 15 ms of each page. The markup below is the same as Django's templates
(django/forms/widgets/), as tests/tracker/test_forms_renderer.py checks.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# The input widgets whose template is only an include of input.html.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "email", "url", "number", "hidden", "password", "file", "checkbox")
)
# One option of a radio or checkbox group, as `{{ option.tag }}` renders it: input_option.html.
OPTION_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}_option.html" for name in ("radio", "checkbox")
)


def _attrs(attrs: dict[str, Any]) -> str:
    """As attrs.html: `False` leaves an attribute out, `True` writes its bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: dict[str, Any]) -> str:
    return (
        f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{conditional_escape(option['label'])}</option>\n"  # the template file's last line end
    )


def render_select(widget: dict[str, Any]) -> SafeString:
    """A select element from the context Django's Select widget builds."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        parts.extend(_option(option) for option in group_choices)
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def render_input(widget: dict[str, Any]) -> SafeString:
    """An input element, as input.html included by the widget's own template (the renderer
    strips the template's line ends)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    html = (
        f'<input type="{conditional_escape(widget["type"])}"'
        f' name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped


def render_option(widget: dict[str, Any]) -> SafeString:
    """One option of a radio or checkbox group, as input_option.html: the input, inside its
    label when the label is wrapped round it."""
    field = render_input(widget)
    if not widget.get("wrap_label"):
        return field
    label_id = widget["attrs"].get("id")
    opening = f'<label for="{conditional_escape(label_id)}">' if label_id else "<label>"
    # input.html's own line end stays inside the label, as Django's include leaves it.
    html = f"{opening}{field}\n {conditional_escape(widget['label'])}</label>"
    return mark_safe(html)  # noqa: S308 - every value above is escaped


def render_textarea(widget: dict[str, Any]) -> SafeString:
    value = widget["value"]
    html = (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{conditional_escape(value) if value else ''}</textarea>"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped


class FormRenderer(TemplatesSetting):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if widget is not None and template_name in INPUT_TEMPLATES:
            return render_input(widget)
        if widget is not None and template_name in OPTION_TEMPLATES:
            return render_option(widget)
        if widget is not None and template_name == TEXTAREA_TEMPLATE:
            return render_textarea(widget)
        if (
            template_name == SELECT_TEMPLATE
            and widget is not None
            and all(
                option["template_name"] == OPTION_TEMPLATE
                for _name, choices, _index in widget["optgroups"]
                for option in choices
            )
        ):
            return render_select(widget)
        return super().render(template_name, context, request)
