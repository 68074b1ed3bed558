"""Validation of the list's display parameters (which page, how many per page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

PAGE_SIZES = (10, 20, 50, 100)
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 100_000


class ListOptionsForm(forms.Form):
    """``page`` and ``per_page``: kept apart from the FilterSet, which only filters."""

    page = forms.IntegerField(label=_("Page"), min_value=1, max_value=MAX_PAGE, required=False)
    per_page = forms.TypedChoiceField(
        label=_("Results per page"),
        choices=[(str(size), str(size)) for size in PAGE_SIZES],
        coerce=int,
        required=False,
        empty_value=DEFAULT_PAGE_SIZE,
    )

    def clean_page(self) -> int:
        return self.cleaned_data.get("page") or 1
