"""FastSelect renders what Django's Select renders, escaped."""

from django import forms

from tenestetorget.core.widgets import FastSelect


class Form(forms.Form):
    choice = forms.ChoiceField(
        choices=[("", "Vel"), ("a", "A & <b>"), ("b", "B")], widget=FastSelect, required=False
    )


def test_selected_and_escaped() -> None:
    html = str(Form(data={"choice": "a"})["choice"])
    assert '<option value="a" selected>A &amp; &lt;b&gt;</option>' in html
    assert '<option value="b">B</option>' in html
    assert 'name="choice"' in html and 'id="id_choice"' in html


def test_unbound_selects_the_empty_choice_as_django_does() -> None:
    html = str(Form()["choice"])
    assert 'value="a" selected' not in html and 'value="b" selected' not in html
