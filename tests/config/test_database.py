"""Bulk loaders refresh PostgreSQL's planner statistics for the rows they wrote."""

from __future__ import annotations

import pytest
from django.db import connection

from config.database import refresh_statistics
from partnerships.models import Partnership
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def _estimated_rows(model: type) -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table]
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_refreshed_statistics_count_the_rows_this_transaction_wrote():
    PartnershipFactory.create_batch(7)
    refresh_statistics([Partnership])
    assert _estimated_rows(Partnership) == 7


def test_refreshing_statistics_is_harmless_on_any_database():
    PartnershipFactory()
    refresh_statistics([Partnership])
    assert Partnership.objects.count() == 1
