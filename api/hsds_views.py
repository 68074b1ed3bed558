"""``/api/hsds.zip``: the directory as an Open Referral HSDS package (built in api.hsds)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.views.decorators.http import condition
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from directory.revision import request_revision, revision_etag, revision_last_modified

from .hsds import ZIP_NAME, package_zip


class HsdsPackageView(APIView):
    """The whole public directory as one HSDS 3.1 tabular data package (zip)."""

    @extend_schema(
        operation_id="hsds_package",
        summary="Open Referral HSDS package",
        description=(
            "The whole public directory as an Open Referral HSDS 3.1 tabular data package: "
            "a zip of CSV files and datapackage.json. Tables named x_* carry what HSDS "
            "cannot express (councils, memberships, working groups, plans, sources, French "
            "text). Answers conditional requests (ETag, Last-Modified) with 304."
        ),
        responses={
            (200, "application/zip"): OpenApiResponse(
                response=OpenApiTypes.BINARY, description="The package (zip)."
            ),
            304: OpenApiResponse(description="Not modified since the given ETag or date."),
        },
        tags=["Open Referral"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        base_url = request.build_absolute_uri("/")
        data = package_zip(base_url, request_revision(request._request))
        response = HttpResponse(data, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{ZIP_NAME}"'
        return response


#: Conditional on the data revision outside DRF, so a 304 costs one query and no build. Not
#: through the page cache (``conditional_on_revision``): that would keep one copy of the zip
#: per Accept-Language and drop its Content-Disposition; :func:`api.hsds.package_zip` keeps one
#: per revision instead, keyed on the same revision row.
hsds_zip = condition(etag_func=revision_etag, last_modified_func=revision_last_modified)(
    HsdsPackageView.as_view()
)
