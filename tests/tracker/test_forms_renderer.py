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
    decision = forms.ChoiceField(
        choices=[("a", 'Accept <"it">'), ("b", "Refuse & return")],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
    )
    ticks = forms.MultipleChoiceField(
        choices=[(1, "One"), (2, "Two <b>")], widget=forms.CheckboxSelectMultiple, required=False
    )
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
        "decision": "b",
        "ticks": ["2"],
    }
    for bound in (True, False):
        django_form = Choices(data=data if bound else None, renderer=TemplatesSetting())
        our_form = Choices(data=data if bound else None, renderer=FormRenderer())
        for name in Choices.base_fields:
            assert str(our_form[name]) == str(django_form[name]), name
        # The GOV.UK field template writes each option's input on its own ({{ option.tag }}).
        for name in ("decision", "ticks"):
            ours, djangos = list(our_form[name]), list(django_form[name])
            assert [o.tag() for o in ours] == [o.tag() for o in djangos], name
            assert [str(o) for o in ours] == [str(o) for o in djangos], name  # label wrapped


def test_an_option_input_escapes_its_value_and_label_and_marks_the_choice():
    form = Choices(data={"decision": "b"}, renderer=FormRenderer())
    accept, refuse = form["decision"]
    assert accept.tag() == (
        '<input type="radio" name="decision" value="a" class="govuk-radios__input"'
        ' id="id_decision_0" required>'
    )
    assert refuse.tag().endswith(
        'value="b" class="govuk-radios__input" id="id_decision_1" required checked>'
    )
    assert str(accept).endswith(" Accept &lt;&quot;it&quot;&gt;</label>")


def test_select_escapes_labels_and_marks_the_chosen_option():
    html = str(Choices(data={"plain": "1"}, renderer=FormRenderer())["plain"])
    assert '<option value="1" selected>Ann &lt;Lead&gt; &amp; &quot;Co&quot;</option>' in html
    assert '<option value="2">Bob</option>' in html
