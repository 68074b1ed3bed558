"""Public plan pages. ``directory/urls.py`` adds these patterns to its own, so they live
under the directory's language prefixes and namespace: ``directory:plan-detail``,
``directory:plan-archive`` and ``directory:plan-report``."""

from django.urls import path

from directory.revision import conditional_on_revision

from . import views

urlpatterns = [
    path(
        "partnerships/<slug:slug>/plan/",
        conditional_on_revision(views.PlanDetailView.as_view()),
        name="plan-detail",
    ),
    path(
        "partnerships/<slug:slug>/plan/<int:start>-<int:end>/",
        conditional_on_revision(views.PlanDetailView.as_view()),
        name="plan-archive",
    ),
    path(
        "partnerships/<slug:slug>/plan/report/<int:year>/",
        conditional_on_revision(views.PlanReportView.as_view()),
        name="plan-report",
    ),
]
