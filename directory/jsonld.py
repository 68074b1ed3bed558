"""schema.org ``Organization`` data for a partnership page, safe inside a <script> element."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from partnerships.models import Community, Partnership

# Same escapes as django.utils.html.json_script: no "</script>" or "<!--" can survive.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def dumps_for_script(data: Any) -> SafeString:
    """JSON text that cannot close or confuse the surrounding <script> element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return mark_safe(text.translate(_ESCAPES))  # noqa: S308 - escaped just above


def partnership_jsonld(
    request: HttpRequest, partnership: Partnership, communities: list[Community]
) -> SafeString:
    """The partnership as a schema.org Organization (names, contacts, area served, topics).

    ``communities`` are the places the partnership is known to serve: estimated places are
    left out, so search engines are never told a guess as a fact.
    """
    alternate = [n for n in (partnership.name_fr, partnership.acronym) if n]
    if partnership.is_province_wide:
        area: list[dict[str, Any]] = [
            {"@type": "AdministrativeArea", "name": partnership.get_province_display()}
        ]
    else:
        area = [
            {
                "@type": "Place",
                "name": f"{c.name}, {c.province}",
                "geo": {
                    "@type": "GeoCoordinates",
                    "latitude": float(c.latitude),
                    "longitude": float(c.longitude),
                },
            }
            for c in communities
        ]
        if not area and partnership.main_community:
            area = [{"@type": "Place", "name": partnership.main_community}]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": partnership.display_name,
        "url": request.build_absolute_uri(partnership.get_absolute_url()),
        **({"areaServed": area} if area else {}),
        "knowsAbout": [f.display_name for f in partnership.focus_areas.all()],
        "address": {
            "@type": "PostalAddress",
            "addressRegion": partnership.province,
            "addressCountry": "CA",
        },
    }
    if alternate:
        data["alternateName"] = alternate
    if partnership.display_description:
        data["description"] = partnership.display_description
    if partnership.website:
        data["sameAs"] = [partnership.website]
    if partnership.email:
        data["email"] = partnership.email
    if partnership.phone:
        data["telephone"] = partnership.phone
    if partnership.contact_url:
        data["contactPoint"] = {
            "@type": "ContactPoint",
            "contactType": "general",
            "url": partnership.contact_url,
        }
    hosts = [o.display_name for o in partnership.host_organizations.all()]
    if hosts:
        data["parentOrganization"] = [{"@type": "Organization", "name": h} for h in hosts]
    return dumps_for_script(data)
