from django.urls import path

from funders.export_views import public_export

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("partnerships/", views.PartnershipListView.as_view(), name="partnership-list"),
    path("partnerships/export.csv", public_export, name="partnership-export"),
    path("partnerships/map/", views.PartnershipMapView.as_view(), name="partnership-map"),
    path(
        "partnerships/<slug:slug>/",
        views.PartnershipDetailView.as_view(),
        name="partnership-detail",
    ),
]
