"""Property-based fuzzing of the roster import form: whatever the file, never a server error.

Random bytes, text in several encodings (with and without a byte-order mark), CSV with the
real headers and hostile cells (huge, formula prefixes, control characters, odd dates and
roles), declared as CSV or as Excel. The upload answers with a preview or a form error; when
the preview offers a confirmation, confirming it answers without a server error too.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CouncilFactory, PartnershipFactory
from tests.partnerships.admin_helpers import MODEL_BACKEND
from tests.partnerships.factories_admin import coordinator_of

IMPORT_URL = "admin:partnerships_councilmembership_import"
PROCESS_URL = "admin:partnerships_councilmembership_process_import"
CSV_FORMAT, XLSX_FORMAT = "0", "1"
HEADERS = [
    "partnership",
    "council",
    "organization",
    "person_name",
    "title",
    "email",
    "phone",
    "role",
    "voting",
    "sector",
    "term_start",
    "term_end",
    "left_on",
    "publish_consent",
]
CELLS = [
    "",
    "fuzz-a",
    "Main Council",
    "Ana",
    "chair",
    "member",
    "co-chair",
    "yes",
    "no",
    "settlement",
    "2025-01-01",
    "31/12/2026",
    "2026-02-30",
    "=1+1",
    "+SUM(A1)",
    "-2",
    "@cmd",
    "\t=x",
    "x" * 10_000,
    "\x00",
    "\r\n",
    "Zoë Bélanger",
    "ana@example.org",
    "not an email",
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]


@pytest.fixture
def importer(client, db):
    """A coordinator of one partnership with one council, signed in."""
    partnership = PartnershipFactory(slug="fuzz-a", province="AB")
    CouncilFactory(partnership=partnership, name="Main Council")
    client.force_login(coordinator_of(partnership), backend=MODEL_BACKEND)
    return client


@st.composite
def csv_files(draw) -> bytes:
    """A CSV with (mostly) the real headers and hostile cells, in some encoding."""
    headers = draw(
        st.one_of(
            st.just(HEADERS),
            st.lists(st.sampled_from(HEADERS) | st.text(max_size=20), min_size=1, max_size=16),
        )
    )
    cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=50))
    rows = draw(
        st.lists(st.lists(cell, min_size=0, max_size=len(headers) + 2), min_size=0, max_size=8)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(ENCODINGS))
    return out.getvalue().encode(encoding, errors="replace")


files = st.one_of(csv_files(), st.binary(max_size=2_000))


def _upload(client, content: bytes, file_format: str):
    return client.post(
        reverse(IMPORT_URL),
        {
            "import_file": SimpleUploadedFile("roster.csv", content),
            "format": file_format,
            "resource": "0",
        },
    )


@pytest.mark.slow
@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=files, file_format=st.sampled_from([CSV_FORMAT, XLSX_FORMAT]))
def test_no_uploaded_file_makes_a_server_error(importer, content, file_format):
    preview = _upload(importer, content, file_format)

    assert preview.status_code < 500
    form = (preview.context or {}).get("confirm_form")
    if form is not None:
        confirmed = importer.post(reverse(PROCESS_URL), {k: form.initial[k] for k in form.initial})
        assert confirmed.status_code < 500


def test_a_file_of_formula_cells_in_every_column_is_previewed(importer):
    content = ("\n".join([",".join(HEADERS), ",".join(["=1+1"] * len(HEADERS))])).encode()

    preview = _upload(importer, content, CSV_FORMAT)

    assert preview.status_code < 500
