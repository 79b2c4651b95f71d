"""Widgets written in Python are the same markup as Django's templates for them."""

from django import forms
from django.forms.renderers import TemplatesSetting

from tracker.forms_renderer import FormRenderer


class Choices(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "Anyone"), (1, 'Ann <Lead> & "Co"'), (2, "Bob")], required=False
    )
    grouped = forms.ChoiceField(
        choices=[("Forces", [("a", "Cleveland"), ("b", "Durham")]), ("c", "Other")],
        widget=forms.Select(attrs={"class": "govuk-select", "disabled": True, "data-x": False}),
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    text = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input", "x": True}))
    empty = forms.CharField(required=False)
    email = forms.EmailField()
    url = forms.URLField(assume_scheme="https")
    number = forms.IntegerField()
    hidden = forms.CharField(widget=forms.HiddenInput)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    upload = forms.FileField(required=False)
    tick = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    blank_note = forms.CharField(widget=forms.Textarea, required=False)


def test_widgets_are_the_markup_of_djangos_templates():
    data = {
        "plain": "1",
        "grouped": "b",
        "many": ["y"],
        "text": '<b>"Ann" & co</b>',
        "email": "a@example.org",
        "url": "example.org/x?a=1&b=2",
        "number": "-3",
        "hidden": "h'v",
        "secret": "s<3",
        "tick": "on",
        "note": "line one\n<script>two</script>",
    }
    for bound in (True, False):
        django_form = Choices(data=data if bound else None, renderer=TemplatesSetting())
        our_form = Choices(data=data if bound else None, renderer=FormRenderer())
        for name in Choices.base_fields:
            assert str(our_form[name]) == str(django_form[name]), name


def test_select_escapes_labels_and_marks_the_chosen_option():
    html = str(Choices(data={"plain": "1"}, renderer=FormRenderer())["plain"])
    assert '<option value="1" selected>Ann &lt;Lead&gt; &amp; &quot;Co&quot;</option>' in html
    assert '<option value="2">Bob</option>' in html
