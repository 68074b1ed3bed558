"""Page-number pagination whose bad parameters are a 400 naming them, never a 404 or a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import pagination
from rest_framework.request import Request

from .errors import ParameterError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: Far beyond any real page, small enough that no arithmetic on it can overflow.
MAX_PAGE = 1_000_000


class PageForm(forms.Form):
    """``page`` and ``page_size``, validated together before any query runs."""

    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        help_text=gettext_lazy("The page to return, from 1."),
    )
    page_size = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        help_text=gettext_lazy("Results per page, 1 to 100 (default 20)."),
    )


def page_errors(request: Request) -> dict[str, Any]:
    """The errors of ``page`` and ``page_size`` (empty when both are valid or absent)."""
    form = PageForm(request.query_params)
    return {} if form.is_valid() else dict(form.errors)


class PageNumberPagination(pagination.PageNumberPagination):
    """``?page=N&page_size=M`` over a queryset whose order is already stable."""

    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "page_size"

    def paginate_queryset(
        self, queryset: QuerySet, request: Request, view: Any = None
    ) -> list[Any]:
        form = PageForm(request.query_params)
        if not form.is_valid():
            raise ParameterError(form.errors)
        size = form.cleaned_data["page_size"] or self.page_size
        paginator = Paginator(queryset, size)
        number = form.cleaned_data["page"] or 1
        if number > paginator.num_pages:
            raise ParameterError(
                {
                    "page": [
                        _("There is no page %(page)s: the last page is %(last)s.")
                        % {"page": number, "last": paginator.num_pages}
                    ]
                }
            )
        self.page = paginator.page(number)
        self.request = request
        return list(self.page)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            "page": {"minimum": 1, "maximum": MAX_PAGE, "default": 1},
            "page_size": {"minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
            parameter["description"] = str(PageForm.base_fields[parameter["name"]].help_text)
        return parameters
