from django.urls import path

from funders.export_views import public_export
from plans.urls import urlpatterns as plan_urlpatterns

from . import views
from .revision import conditional_on_revision

app_name = "directory"

urlpatterns = [
    path("", conditional_on_revision(views.HomeView.as_view()), name="home"),
    path(
        "partnerships/",
        conditional_on_revision(views.PartnershipListView.as_view()),
        name="partnership-list",
    ),
    path("partnerships/export.csv", public_export, name="partnership-export"),
    path(
        "partnerships/map/",
        conditional_on_revision(views.PartnershipMapView.as_view()),
        name="partnership-map",
    ),
    path(
        "partnerships/<slug:slug>/",
        conditional_on_revision(views.PartnershipDetailView.as_view()),
        name="partnership-detail",
    ),
    *plan_urlpatterns,  # /partnerships/<slug>/plan/…: directory:plan-detail and the rest
]
