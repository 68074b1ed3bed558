"""The filter form's choices written by one filter: same markup as Django's own widgets."""

from __future__ import annotations

from django import forms

from directory.templatetags.filter_form_tags import choice_inputs


class Form(forms.Form):
    kind = forms.MultipleChoiceField(
        choices=[("LIP", "Local <b>partnership</b>"), ("RIF", "Network")],
        widget=forms.CheckboxSelectMultiple,
    )


def test_choice_inputs_write_each_input_before_its_label_and_check_the_selected():
    html = choice_inputs(Form({"kind": ["RIF"]})["kind"])
    assert html == (
        '<div class="choice"><input type="checkbox" name="kind" value="LIP" id="id_kind_0"> '
        '<label for="id_kind_0">Local &lt;b&gt;partnership&lt;/b&gt;</label></div>\n'
        '<div class="choice"><input type="checkbox" name="kind" value="RIF" id="id_kind_1"'
        ' checked> <label for="id_kind_1">Network</label></div>'
    )
