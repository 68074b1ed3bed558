"""URLs of the open data API, mounted at ``/api/`` outside the language prefixes.

Every data view answers conditional requests (ETag and Last-Modified from the data revision,
directory/revision.py) with 304 when nothing changed.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from directory.revision import conditional_on_revision

from . import hsds_views, views

app_name = "api"

urlpatterns = [
    path(
        "partnerships/",
        conditional_on_revision(views.PartnershipListView.as_view()),
        name="partnership-list",
    ),
    path(
        "partnerships.geojson",
        conditional_on_revision(views.PartnershipGeoJSONView.as_view()),
        name="partnership-geojson",
    ),
    path(
        "partnerships/<str:slug>/",
        conditional_on_revision(views.PartnershipDetailView.as_view()),
        name="partnership-detail",
    ),
    path(
        "focus-areas/",
        conditional_on_revision(views.FocusAreaListView.as_view()),
        name="focus-area-list",
    ),
    path("sectors/", conditional_on_revision(views.SectorListView.as_view()), name="sector-list"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: no inline script for the CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("hsds.zip", hsds_views.hsds_zip, name="hsds-zip"),
]
