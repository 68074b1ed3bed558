"""URLs of the open data API, mounted at ``/api/`` outside the language prefixes."""

from django.urls import path  # noqa: F401

app_name = "api"

urlpatterns: list = [
    # Helper D: the HSDS package, e.g. path("hsds.zip", hsds.hsds_zip, name="hsds-zip"),
]
