"""A select written in Python is the same markup as Django's template for it."""

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


def test_select_is_the_markup_of_djangos_template():
    data = {"plain": "1", "grouped": "b", "many": ["y"]}
    django_form = Choices(data=data, renderer=TemplatesSetting())
    our_form = Choices(data=data, renderer=FormRenderer())
    for name in ["plain", "grouped", "many"]:
        assert str(our_form[name]) == str(django_form[name]), name


def test_select_escapes_labels_and_marks_the_chosen_option():
    html = str(Choices(data={"plain": "1"}, renderer=FormRenderer())["plain"])
    assert '<option value="1" selected>Ann &lt;Lead&gt; &amp; &quot;Co&quot;</option>' in html
    assert '<option value="2">Bob</option>' in html
