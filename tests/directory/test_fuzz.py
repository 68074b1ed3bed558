"""Property-based fuzzing: no combination of query parameters makes a public page fail.

The parameter list follows the directory's FilterSet, so a filter added later (the plan
filters, say) is fuzzed too; tests/reliability/test_fuzz_urls.py covers every other URL.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.filters import PartnershipFilter

PARAMS = sorted({*PartnershipFilter.base_filters, "page", "per_page"})

plausible = {
    "kind": st.sampled_from(["LIP", "ZIP", "RIF", "lip", "XYZ", ""]),
    "province": st.sampled_from(["AB", "ON", "nb", "QC", "ZZ", "A", ""]),
    "focus": st.sampled_from(["housing", "employment", "nope", "12345678901234567890"]),
    "language": st.sampled_from(["en", "fr", "en-fr", "de"]),
    "q": st.sampled_from(["réseau", "RESEAU", "%", "_", "'\"; DROP TABLE", "x" * 10_000]),
    "near": st.sampled_from(["T1R 0A1", "t1r0a1", "T1R", "Brooks", "Canmore, AB", "Atlantis", "X"]),
    "radius": st.sampled_from(["50", "1", "1000", "0", "-5", "abc", "1e400", "NaN", "Infinity"]),
    "page": st.sampled_from(["1", "2", "999", "0", "-1", "abc", "12345678901234567890"]),
    "per_page": st.sampled_from(["10", "20", "100", "7", "abc"]),
    "has_plan": st.sampled_from(["yes", "no", "true", "1", "", "maybe"]),
    "plan_priority": st.sampled_from(["housing", "affordable-housing", "employment", "", "x"]),
}
any_text = st.text(max_size=300)  # any Unicode, including control characters and surrogates


def values(param: str) -> st.SearchStrategy:
    return st.lists(st.one_of(plausible.get(param, any_text), any_text), max_size=3)


query = st.fixed_dictionaries({}, optional={p: values(p) for p in PARAMS})
paths = st.sampled_from(
    ["/partnerships/", "/fr/partnerships/", "/partnerships/map/", "/partnerships/export.csv"]
)


@pytest.mark.django_db
@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=paths, params=query)
def test_no_query_string_makes_a_server_error(client, directory, path, params):
    pairs = [(key, value) for key, items in params.items() for value in items]
    encoded = urlencode([(k, v.encode("utf-8", "surrogatepass")) for k, v in pairs], doseq=False)
    response = client.get(f"{path}?{encoded}")
    assert response.status_code in (200, 400), (path, pairs, response.status_code)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200))
def test_raw_bytes_in_the_query_string(client, directory, raw):
    from urllib.parse import quote_from_bytes

    response = client.get(
        "/partnerships/?q=" + quote_from_bytes(raw) + "&near=" + quote_from_bytes(raw)
    )
    assert response.status_code in (200, 400)
