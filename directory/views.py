"""Public directory pages. Thin views: filtering lives in filters.py, geocoding in geocoding.py."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Round
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from api.geojson import geojson_url, map_list
from partnerships.models import (
    Council,
    CouncilMembership,
    FocusArea,
    Partnership,
    Province,
    Role,
    ServedCommunity,
    Source,
    WorkingGroup,
)

from .filters import PartnershipFilter
from .forms import ListOptionsForm
from .geocoding import haversine_km
from .jsonld import partnership_jsonld
from .labels import kind_abbreviation
from .nearby import NearMatch, communities_within, served_within
from .plan_rows import current_plan
from .querystrings import without_value

ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}
COVERING_KINDS = (Partnership.Kind.LIP, Partnership.Kind.ZIP)
#: Province-wide networks named in "which partnerships cover me?"; more are linked to.
COVERING_NETWORKS_SHOWN = 5


def map_context() -> dict[str, Any]:
    """Settings and translated labels the map script needs (tiles come from the settings)."""
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
        "map_labels": {
            # The map script reads partnerships from the API's GeoJSON (language-neutral
            # codes); kinds are shown as the page's language writes them.
            "kinds": {
                kind: {"abbr": kind_abbreviation(kind), "name": str(label)}
                for kind, label in Partnership.Kind.choices
            },
            "region": _("Map"),
            "zoomIn": _("Zoom in"),
            "zoomOut": _("Zoom out"),
            "provinceWide": _("Covers the whole province"),
            "estimated": _("estimated, not confirmed by the partnership"),
            "closePopup": _("Close"),
            # "%(count)s" is replaced by the script: pins too close to tap apart are one pin.
            "group": _("%(count)s at this spot"),
        },
    }


class FilteredPartnershipsMixin:
    """Builds the FilterSet from the query string; invalid parameters mean a 400 page."""

    request: HttpRequest
    choice_fields = ("kind", "province", "focus", "language")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            map_context(),
            choice_fields=self.choice_fields,
            map_query=params.urlencode(),
            geojson_url=geojson_url(self.request.GET),
        )
        return context

    def get_filterset(self) -> PartnershipFilter:
        return PartnershipFilter(
            self.request.GET, queryset=Partnership.objects.all(), request=self.request
        )

    def chips(self, filterset: PartnershipFilter) -> list[dict[str, str]]:
        return [
            {
                "label": chip.label,
                "param": chip.param,
                "url": without_value(self.request, chip.param, chip.value),
            }
            for chip in filterset.active_filters()
        ]

    def covering(self, filterset: PartnershipFilter) -> dict[str, Any] | None:
        """The answer to "which partnerships cover me?": nearest LIP/ZIP and the right RIF.

        A province-wide network covers every place of its province. Where a province has
        regional networks instead (Ontario's three), the place belongs to the network whose
        served community is nearest: one answer, not the whole list.
        """
        place = filterset.place
        if place is None:
            return None
        # One query: the nearest LIP/ZIP (ties at the shown 0.1 km go to the name that sorts
        # first) and the province's networks, each with its nearest served place.
        radius = filterset.radius
        # The shown distance of the nearest place a LIP/ZIP serves is found on the
        # communities (a few hundred distances), not on every served row (thousands).
        local_kinds = Q(partnership__kind__in=COVERING_KINDS) & ~Q(
            partnership__status=Partnership.Status.INACTIVE
        )
        served_locally = ServedCommunity.objects.filter(local_kinds, community=OuterRef("pk"))
        nearest_shown_km = (
            communities_within(place, radius)
            .filter(Exists(served_locally))
            .annotate(shown=Round("km", 1))
            .order_by("shown")
            .values("shown")[:1]
        )
        nearest_local = (
            served_within(place, radius)
            .filter(local_kinds)
            .annotate(shown=Round("km", 1))
            .filter(shown=Subquery(nearest_shown_km))
            .order_by("partnership__name", "partnership_id")
            .values("partnership_id")[:1]
        )
        closest = (
            served_within(place, radius)
            .filter(partnership=OuterRef("pk"))
            .order_by("km", "community__name")
        )
        is_local = Q(kind__in=COVERING_KINDS)

        def for_local(column: str, **kwargs: Any) -> Case:
            # Only the local partnership's nearest place is shown: networks are placed by
            # _regional_network, so their subqueries are never run (CASE is lazy).
            return Case(When(is_local, then=Subquery(closest.values(column)[:1])), **kwargs)

        candidates = (
            Partnership.objects.filter(
                Q(pk=Subquery(nearest_local))
                | Q(kind=Partnership.Kind.RIF, province=place.province)
            )
            .exclude(status=Partnership.Status.INACTIVE)
            # Only what the answer shows: a province may count hundreds of networks (the
            # synthetic data's Ontario has 480), and whole rows cost 40 ms there.
            .only("pk", "name", "name_fr", "slug", "kind", "province", "is_province_wide")
            .annotate(
                near_place=for_local("community__name"),
                near_basis=for_local("basis"),
                near_km=for_local("km", output_field=FloatField()),
            )
            .order_by("name", "pk")
        )
        local, local_match, rifs, regional = None, None, [], {}
        for partnership in candidates:
            if partnership.kind in COVERING_KINDS:
                local = partnership
                local_match = NearMatch(
                    round(partnership.near_km, 1),
                    partnership.near_place,
                    partnership.near_basis != ServedCommunity.Basis.NAMED,
                )
            elif partnership.is_province_wide:
                rifs.append(partnership)
            else:
                regional[partnership.pk] = partnership
        rif_match = None
        if not rifs and regional:
            rif, rif_match = self._regional_network(place, regional)
            rifs = [rif] if rif else []
        # A province has one network covering it; should many claim it, the answer stays
        # short and links to all of them (480 rows rendered cost 100 ms at 10,000).
        more_rifs = max(0, len(rifs) - COVERING_NETWORKS_SHOWN)
        return {
            "local": local,
            "local_match": local_match,
            "rifs": rifs[:COVERING_NETWORKS_SHOWN],
            "more_rifs": more_rifs,
            "more_rifs_url": (
                f"{reverse('directory:partnership-list')}?"
                f"{urlencode({'kind': Partnership.Kind.RIF, 'province': place.province})}"
                if more_rifs
                else ""
            ),
            "rif_match": rif_match,
            "province": Province(place.province).label if place.province else "",
        }

    @staticmethod
    def _regional_network(
        place: Any, networks: dict[int, Partnership]
    ) -> tuple[Partnership | None, NearMatch | None]:
        """The regional network whose served community is nearest the place (one query)."""
        best: tuple[float, str, int, bool] | None = None
        rows = ServedCommunity.objects.filter(partnership_id__in=list(networks)).values_list(
            "partnership_id",
            "community__name",
            "community__latitude",
            "community__longitude",
            "basis",
        )
        for partnership_id, name, latitude, longitude, basis in rows:
            km = haversine_km(place.latitude, place.longitude, float(latitude), float(longitude))
            candidate = (km, name, partnership_id, basis != ServedCommunity.Basis.NAMED)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
        if best is None:
            return None, None
        km, name, partnership_id, estimated = best
        return networks[partnership_id], NearMatch(round(km, 1), name, estimated)


class HomeView(TemplateView):
    """Explains the three kinds of partnership and offers the two searches people start with."""

    template_name = "directory/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        counts = dict(
            Partnership.objects.values_list("province").annotate(n=Count("pk")).order_by()
        )
        context["provinces"] = [
            (code, label, counts.get(code, 0)) for code, label in Province.choices
        ]
        context["total"] = sum(counts.values())
        context["kinds"] = Partnership.Kind.choices
        return context


class PartnershipListView(FilteredPartnershipsMixin, TemplateView):
    """The filterable list: count, chips, "covers me", paginated results and a map."""

    template_name = "directory/partnership_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data(**kwargs)
        status = 400 if context["has_errors"] else 200
        return self.render_to_response(context, status=status)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        options = ListOptionsForm(self.request.GET)
        context.update(filterset=filterset, form=filterset.form, options=options)
        valid = filterset.is_valid() and options.is_valid()
        context["has_errors"] = not valid
        context["page_error"] = None
        if not valid:
            return context
        queryset = filterset.qs
        if filterset.place is not None:
            # Near-me ranks thousands of matches: their ids are ranked once (ids only: a
            # sort of wide rows cost twice as much at 10,000 partnerships), counted and
            # paginated here, then the page's rows are read. A count query would rank them
            # all a second time.
            queryset = list(queryset.values_list("pk", flat=True))
        paginator = Paginator(queryset, options.cleaned_data["per_page"])
        number = options.cleaned_data["page"]
        if number > paginator.num_pages:
            context["has_errors"] = True
            context["page_error"] = {
                "page": number,
                "num_pages": paginator.num_pages,
                "last_url": without_value(self.request, "page", None, set_to=paginator.num_pages),
            }
            return context
        page = paginator.page(number)
        focus_areas = Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "name"))
        if filterset.place is not None:
            ids = list(page.object_list)
            found = Partnership.objects.filter(pk__in=ids).order_by().prefetch_related(focus_areas)
            by_id = {partnership.pk: partnership for partnership in found}
            rows = [by_id[pk] for pk in ids]
        else:
            rows = list(page.object_list.prefetch_related(focus_areas))
        filterset.load_near_matches(rows)
        for partnership in rows:
            partnership.near = filterset.near_match(partnership)
        context.update(
            page_obj=page,
            paginator=paginator,
            partnerships=rows,
            count=paginator.count,
            chips=self.chips(filterset),
            place=filterset.place,
            covering=self.covering(filterset),
            page_links=self.page_links(page),
        )
        return context

    def page_links(self, page: Any) -> dict[str, str | None]:
        def link(number: int) -> str:
            return without_value(self.request, "page", None, set_to=number)

        return {
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "next": link(page.next_page_number()) if page.has_next() else None,
        }


class PartnershipMapView(FilteredPartnershipsMixin, TemplateView):
    """The filtered partnerships on a map, with the same list as text for everyone."""

    template_name = "directory/partnership_map.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=400 if context["has_errors"] else 200)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = self.get_filterset()
        context.update(filterset=filterset, form=filterset.form, has_errors=False)
        if not filterset.is_valid():
            context["has_errors"] = True
            return context
        # The map itself reads /api/partnerships.geojson; this is its text for everyone.
        context["entries"] = map_list(filterset.qs, filterset.place)
        context["chips"] = self.chips(filterset)
        context["list_query"] = self.request.GET.urlencode()
        return context


class PartnershipDetailView(DetailView):
    """Everything public about one partnership, in a constant number of queries."""

    template_name = "directory/partnership_detail.html"
    context_object_name = "partnership"

    def get_queryset(self) -> QuerySet:
        # Read as the public, whoever is signed in: names and contacts only with consent.
        memberships = (
            CouncilMembership.objects.visible_to(None)
            .current()
            .select_related("organization", "sector")
        )
        served = ServedCommunity.objects.select_related("community").order_by(
            "community__name", "pk"
        )
        return Partnership.objects.prefetch_related(
            Prefetch("served", queryset=served),
            Prefetch("sources", queryset=Source.objects.order_by("order", "pk")),
            Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "name")),
            "host_organizations",
            Prefetch(
                "councils",
                queryset=Council.objects.order_by("kind", "name").prefetch_related(
                    Prefetch("memberships", queryset=memberships)
                ),
            ),
            Prefetch(
                "working_groups",
                queryset=WorkingGroup.objects.select_related(
                    "focus_area", "lead_organization"
                ).order_by("name"),
            ),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        partnership: Partnership = self.object
        councils = list(partnership.councils.all())
        for council in councils:
            council.members = sorted(
                council.memberships.all(),
                key=lambda m: (
                    ROLE_ORDER.get(m.role, 99),
                    m.organization.name if m.organization else "",
                    m.pk,
                ),
            )
        # The plan, its priorities, indicators and measurements: one query, not four.
        plan = current_plan(partnership)
        working_groups = list(partnership.working_groups.all())
        served = list(partnership.served.all())
        sources = list(partnership.sources.all())
        communities = [s.community for s in served if not s.is_estimated]
        context.update(
            named_communities=communities,
            estimated_communities=[s.community for s in served if s.is_estimated],
            sources=sources,
            contact_sources=[s for s in sources if s.topic == Source.Topic.CONTACT],
            verification_reasons=partnership.verification_reasons(sources),
            councils=councils,
            working_groups=working_groups,
            plan=plan,
            has_sample_data=any(c.is_sample for c in councils)
            or any(w.is_sample for w in working_groups)
            or bool(plan and plan.is_sample),
            **map_context(),
            community_markers=[
                {
                    "name": s.community.name,
                    "lat": float(s.community.latitude),
                    "lng": float(s.community.longitude),
                    "estimated": s.is_estimated,
                }
                for s in served
            ],
            jsonld=partnership_jsonld(self.request, partnership, communities),
        )
        return context
