"""The plan filters are facets like ``focus``: kept in the list's canonical URL when valid."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from directory.seo import canonical_query
from tests.directory.test_seo import HOST, head, link


def test_plan_facets_are_kept_after_the_other_facets():
    query = QueryDict("plan_priority=characteristic:affordable-housing&has_plan=yes&focus=housing")
    assert canonical_query(query) == (
        "focus=housing&has_plan=yes&plan_priority=characteristic%3Aaffordable-housing"
    )


def test_a_focus_area_tag_is_kept():
    assert canonical_query(QueryDict("plan_priority=focus:housing")) == (
        "plan_priority=focus%3Ahousing"
    )


@pytest.mark.parametrize(
    "query",
    ["has_plan=maybe", "plan_priority=housing", "plan_priority=sector:x", "plan_priority=focus:"],
)
def test_invalid_plan_facet_values_are_dropped(query):
    assert canonical_query(QueryDict(query)) == ""


def test_single_valued_facet_keeps_the_value_the_filter_uses():
    # The list filters by the last value given (QueryDict.get): the canonical names that one.
    assert canonical_query(QueryDict("has_plan=no&has_plan=yes")) == "has_plan=yes"


@pytest.mark.django_db
def test_list_canonical_keeps_plan_facets_and_drops_the_search(client, directory):
    url = "/fr/partnerships/?q=housing&plan_priority=characteristic:affordable-housing&has_plan=yes"
    html = head(client, url)
    query = "has_plan=yes&plan_priority=characteristic%3Aaffordable-housing"
    assert link(html, "canonical") == [("", f"{HOST}/fr/partnerships/?{query}")]
    assert ("en", f"{HOST}/partnerships/?{query}") in link(html, "alternate")
