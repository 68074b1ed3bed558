"""Public directory pages. Thin views: querying lives in the models' querysets."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from partnerships.models import (
    Community,
    Council,
    CouncilMembership,
    Partnership,
    Province,
    WorkingGroup,
)
from plans.models import CommunityPlan


class PartnershipListView(ListView):
    """Every partnership, grouped by province."""

    template_name = "directory/partnership_list.html"
    context_object_name = "partnerships"

    def get_queryset(self):
        return Partnership.objects.order_by("province", "kind", "name").only(
            "kind", "name", "name_fr", "acronym", "slug", "province", "is_province_wide",
            "main_community", "status",
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        labels = dict(Province.choices)
        context["by_province"] = [
            (code, labels.get(code, code), list(rows))
            for code, rows in groupby(context["partnerships"], key=lambda p: p.province)
        ]
        return context


class HomeView(PartnershipListView):
    template_name = "directory/home.html"


class PartnershipDetailView(DetailView):
    template_name = "directory/partnership_detail.html"
    context_object_name = "partnership"

    def get_queryset(self):
        memberships = CouncilMembership.objects.current().select_related(
            "organization", "sector"
        )
        return Partnership.objects.prefetch_related(
            Prefetch("communities", queryset=Community.objects.order_by("name")),
            "focus_areas",
            "host_organizations",
            Prefetch(
                "councils",
                queryset=Council.objects.prefetch_related(
                    Prefetch("memberships", queryset=memberships)
                ),
            ),
            Prefetch(
                "working_groups",
                queryset=WorkingGroup.objects.select_related("focus_area", "lead_organization"),
            ),
            Prefetch(
                "plans",
                queryset=CommunityPlan.objects.current().prefetch_related("priorities"),
                to_attr="current_plans",
            ),
        )
