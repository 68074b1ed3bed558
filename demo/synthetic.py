"""Synthetic scale data: thousands of invented partnerships for benchmarks and load tests.

The real directory has about 100 partnerships; the pages must stay fast at 10,000 (every
community coalition of a province, other countries' networks, years of plans). This module
invents such a data set, in the demo's proportions, by reusing the demo generator
(:class:`demo.generator.DemoBuilder`) for councils, memberships, working groups and plans, so
a change to the demo (new plan fields, catalogue indicators) reaches the synthetic set too.

What marks a synthetic row:

- partnerships: slug ``synthetic-<seed>-<number>`` and a name starting "[Synthetic]"
  (``Partnership`` has no sample flag; :func:`remove_synthetic_data` finds them by slug);
- everything under them: ``is_sample=True`` (so the site-wide sample notice shows and
  ``remove_sample_data`` removes them too), organizations named "[Synthetic] ...".

Speed: rows are built in memory for a chunk of partnerships, then written with one
``bulk_create`` per model in batches; no per-row ``save()``. That skips model signals, so the
data revision is bumped once at the end, and the search column is filled in bulk.

History: no django-simple-history rows are written. ``bulk_create_with_history`` writes a
second row per row (about a million here) and roughly doubles the load time, for rows that
are throwaway benchmark data nobody will audit; the demo generator skips history for the
same reason. The roster import benchmark measures an import *with* history separately.

Determinism: each partnership draws from its own ``random.Random(f"{seed}-{number}")``, so a
seed gives the same set on any database (dates stay relative to ``today``, as in the demo).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router, transaction
from django.db.models import F, Model, QuerySet
from django.utils import timezone

from config.database import refresh_statistics
from demo.flags import forget_sample_flag
from demo.generator import Context, DemoBuilder, OrgSpec, _organizations
from demo.removal import sample_models
from demo.tables import tables
from directory.revision import bump_revision
from partnerships.models import (
    Community,
    FocusArea,
    Organization,
    Partnership,
    ServedCommunity,
    Source,
)

SLUG_PREFIX = "synthetic-"
NAME_PREFIX = "[Synthetic] "
NAME_PREFIX_FR = "[Synthétique] "
CHUNK = 250  # partnerships built and written together: bounds memory at any N

# Share of partnerships per province, roughly that of the real set (Quebec runs its own
# programme, so it has none); kinds and languages likewise.
PROVINCE_WEIGHTS = {
    "ON": 38,
    "BC": 18,
    "AB": 16,
    "MB": 5,
    "SK": 6,
    "NB": 5,
    "NS": 4,
    "NL": 3,
    "PE": 2,
    "NT": 1,
    "YT": 1,
    "NU": 1,
}
KINDS = [("LIP", "en", 80), ("LIP", "en-fr", 3), ("ZIP", "en", 4), ("RIF", "fr", 13)]
KIND_NAMES = {
    "LIP": ("Local Immigration Partnership", "Partenariat local en matière d'immigration"),
    "ZIP": ("Zonal Immigration Partnership", "Partenariat zonal en matière d'immigration"),
    "RIF": ("Francophone Immigration Network", "Réseau en immigration francophone"),
}
# Council sizes follow the demo's rule from the population served; synthetic populations are
# drawn large enough that councils average about 30 seats, the issue's ~300,000 memberships
# at 10,000 partnerships (the real places' census counts are not used).
POPULATIONS = [(600_000, 20), (2_000_000, 80)]


@dataclass
class SyntheticReport:
    """Counts of what was created, and how long it took."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        parts = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        return f"Synthetic data created: {parts} ({self.seconds:.1f} s)."


def synthetic_partnerships() -> QuerySet[Partnership]:
    """Every synthetic partnership (found by its slug: Partnership has no sample flag)."""
    return Partnership.objects.filter(slug__startswith=SLUG_PREFIX)


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _places_by_province() -> dict[str, list[tuple[int, str, int]]]:
    """(pk, name, population) of every known place, per province, in an order that is the same
    on both databases (so a seed picks the same places on SQLite and PostgreSQL)."""
    places: dict[str, list[tuple[int, str, int]]] = {}
    order = ("province", F("geonames_id").asc(nulls_last=True), "name", "latitude", "longitude")
    rows = Community.objects.order_by(*order).values_list("pk", "name", "population", "province")
    for pk, name, population, province in rows:
        places.setdefault(province, []).append((pk, name, population or 0))
    return places


def _prefetched(partnership: Partnership, focus: list[FocusArea]) -> None:
    """Give ``partnership.focus_areas.all()`` its rows without a query (the generator asks)."""
    queryset = FocusArea.objects.all()
    queryset._result_cache = list(focus)
    queryset._prefetch_done = True
    partnership._prefetched_objects_cache = {"focus_areas": queryset}


@dataclass
class _Planned:
    partnership: Partnership
    places: list[tuple[int, str, int]]
    focus: list[FocusArea]
    fictional_place: str
    population: int


def _plan_partnership(
    number: int,
    seed: int,
    places: dict[str, list[tuple[int, str, int]]],
    focus_areas: list[FocusArea],
    fictional: dict[str, list[str]],
) -> _Planned:
    """One synthetic partnership, drawn from its own seeded generator."""
    rng = random.Random(f"{seed}-{number}")
    province = _weighted(rng, list(PROVINCE_WEIGHTS.items()))
    kind, languages = _weighted(rng, [((k, lang), w) for k, lang, w in KINDS])
    french = languages == "fr"
    pool = places.get(province, [])
    chosen = rng.sample(pool, min(len(pool), rng.randint(1, 6))) if pool else []
    chosen.sort(key=lambda place: -place[2])
    anchor = chosen[0][1] if chosen else tables().provinces[province]["fallback_city"]
    kind_en, kind_fr = KIND_NAMES[kind]
    province_wide = kind == "RIF"
    region = tables().provinces[province]["name"] if province_wide else anchor
    name_en = f"{NAME_PREFIX}{region} {kind_en} {number}"
    name_fr = f"{NAME_PREFIX_FR}{kind_fr} {region} {number}"
    words = fictional["french" if french else "english"]
    fictional_place = f"{words[rng.randrange(len(words))]} {number}"
    partnership = Partnership(
        kind=kind,
        name=name_fr if french else name_en,
        name_fr=name_fr,
        acronym=f"S{kind}{number}",
        slug=f"{SLUG_PREFIX}{seed}-{number:05d}",
        province=province,
        is_province_wide=province_wide,
        main_community=region,
        communities_served_text=", ".join(place[1] for place in chosen),
        host_organization=f"{NAME_PREFIX}{fictional_place} Newcomer Services",
        host_type=rng.choice(["municipal", "community", "community", "consortium"]),
        website=f"https://synthetic-{number}.example.org/",
        email=f"info@synthetic-{number}.example.org" if rng.random() < 0.3 else "",
        description=(
            f"Synthetic partnership number {number}, generated for load and speed tests; "
            "not a real partnership."
        ),
        description_fr=(
            f"Partenariat synthétique numéro {number}, généré pour les essais de charge ; "
            "ce n'est pas un vrai partenariat."
        ),
        languages=languages,
        status=_weighted(rng, [("active", 90), ("in_development", 6), ("inactive", 4)]),
        confidence=_weighted(rng, [("high", 40), ("medium", 45), ("low", 15)]),
    )
    focus = rng.sample(focus_areas, min(len(focus_areas), rng.randint(1, 4)))
    population = _weighted(rng, POPULATIONS) + rng.randint(0, 100_000)
    return _Planned(partnership, chosen, focus, fictional_place, population)


def _synthetic_orgs(orgs: dict[str, list[OrgSpec]]) -> dict[str, list[OrgSpec]]:
    """The same organizations, each name prefixed so nobody takes it for a real one."""
    return {
        sector: [
            (
                spec[0],
                NAME_PREFIX + spec[1],
                (NAME_PREFIX_FR + spec[2]) if spec[2] else "",
                spec[3],
                spec[4],
            )
            for spec in specs
        ]
        for sector, specs in orgs.items()
    }


def _write_chunk(planned: list[_Planned], today: datetime.date) -> dict[str, int]:
    """Write one chunk: partnerships and what hangs off them, one bulk insert per model."""
    partnerships = [item.partnership for item in planned]
    Partnership.objects.bulk_create(partnerships, batch_size=500)
    ServedCommunity.objects.bulk_create(
        [
            ServedCommunity(partnership_id=item.partnership.pk, community_id=place[0])
            for item in planned
            for place in item.places
        ],
        batch_size=1000,
    )
    through = Partnership.focus_areas.through
    through.objects.bulk_create(
        [
            through(partnership_id=item.partnership.pk, focusarea_id=area.pk)
            for item in planned
            for area in item.focus
        ],
        batch_size=1000,
    )
    Source.objects.bulk_create(
        [
            Source(
                partnership_id=item.partnership.pk,
                title=f"{NAME_PREFIX}record {item.partnership.slug}",
                publisher="Synthetic data generator",
                year=today.year,
                url=item.partnership.website,
                kind=Source.Kind.PARTNERSHIP,
            )
            for item in planned
        ],
        batch_size=1000,
    )
    builder = DemoBuilder(today)
    for item in planned:
        p = item.partnership
        _prefetched(p, item.focus)
        rng = random.Random(f"{p.slug}-rows")
        ctx = Context(
            partnership=p,
            anchor=item.places[0][1] if item.places else p.main_community,
            anchor_population=item.population,
            second=item.places[1][1] if len(item.places) > 1 else None,
            region=p.main_community,
            population=item.population,
            places=[place[1] for place in item.places],
            french=p.languages == Partnership.Languages.FRENCH,
        )
        orgs = _synthetic_orgs(_organizations(ctx, item.fictional_place))
        council_orgs = builder.add_council(ctx, orgs, rng)
        groups = builder.add_working_groups(ctx, council_orgs, rng)
        builder.add_plan(ctx, council_orgs, groups, rng)
    counts = builder.save()
    counts = {"partnerships": len(partnerships), **counts}
    return counts


def _fill_search_columns(partnerships: QuerySet[Partnership]) -> None:
    """Fill the stored search column in bulk (bulk inserts send no signal to do it)."""
    partnerships.refresh_search_text()


def _chunks(total: int, size: int) -> Iterator[range]:
    for start in range(1, total + 1, size):
        yield range(start, min(start + size, total + 1))


def seed_synthetic(
    count: int,
    *,
    seed: int = 1,
    today: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> SyntheticReport:
    """Create ``count`` synthetic partnerships with councils, groups and plans, in bulk.

    Each chunk is its own transaction, so a run interrupted midway leaves whole partnerships
    only (remove them with :func:`remove_synthetic_data`). ``progress`` is called with the
    number of partnerships written after each chunk (the command's progress bar).
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    if synthetic_partnerships().filter(slug__startswith=f"{SLUG_PREFIX}{seed}-").exists():
        raise ValueError(
            f"Synthetic partnerships of seed {seed} already exist: remove them first "
            "(seed_synthetic --remove) or pick another seed."
        )
    places = _places_by_province()
    focus_areas = list(FocusArea.objects.order_by("slug"))
    fictional = tables().organizations["places"]
    totals: dict[str, int] = {}
    for numbers in _chunks(count, CHUNK):
        planned = [_plan_partnership(n, seed, places, focus_areas, fictional) for n in numbers]
        with transaction.atomic():
            counts = _write_chunk(planned, today)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if progress:
            progress(len(numbers))
    with transaction.atomic():
        _fill_search_columns(synthetic_partnerships())
        forget_sample_flag()  # bulk inserts send no signal
        bump_revision()
    refresh_statistics([*sample_models(), Partnership, ServedCommunity, Source])
    return SyntheticReport(counts=totals, seconds=time.perf_counter() - started)


def _owned_by_synthetic(model: type[Model]) -> QuerySet[Any] | None:
    """The sample rows of ``model`` that belong to a synthetic partnership (None: not owned)."""
    if model is Organization:
        return model._base_manager.filter(is_sample=True, name__startswith=NAME_PREFIX)
    path = getattr(model, "partnership_path", None)
    if path is None:
        return None
    lookup = f"{path}__slug__startswith" if path else "slug__startswith"
    return model._base_manager.filter(is_sample=True, **{lookup: SLUG_PREFIX})


def remove_synthetic_data() -> dict[str, int]:
    """Delete every synthetic partnership and every row under it, in one transaction.

    Plain SQL deletes, bottom-up, like ``demo.removal`` (and for the same reasons: no history
    row per deleted row, no cascade that could reach a real row). Demo rows of real
    partnerships are untouched. A real row left pointing at a synthetic one makes the final
    foreign-key check fail, and nothing is deleted.
    """
    using = router.db_for_write(Partnership)
    deleted: dict[str, int] = {}
    with transaction.atomic(using=using):
        for model in sample_models():
            rows = _owned_by_synthetic(model)
            if rows is None:
                continue
            for m2m in model._meta.many_to_many:
                link = m2m.remote_field.through
                if link._meta.auto_created:
                    owner = link._meta.get_field(m2m.m2m_field_name()).attname
                    link._base_manager.filter(**{f"{owner}__in": rows.values("pk")})._raw_delete(
                        using
                    )
        for model in sample_models():
            rows = _owned_by_synthetic(model)
            if rows is not None and model is not Organization:
                deleted[str(model._meta.verbose_name_plural)] = rows._raw_delete(using)
        orgs = _owned_by_synthetic(Organization)
        deleted["organizations"] = orgs._raw_delete(using)
        partnerships = synthetic_partnerships().values("pk")
        for model in (ServedCommunity, Source):
            model._base_manager.filter(partnership_id__in=partnerships)._raw_delete(using)
        for m2m in Partnership._meta.many_to_many:
            link = m2m.remote_field.through
            if link._meta.auto_created:
                owner = link._meta.get_field(m2m.m2m_field_name()).attname
                link._base_manager.filter(**{f"{owner}__in": partnerships})._raw_delete(using)
        deleted["partnerships"] = synthetic_partnerships()._raw_delete(using)
        tables_ = sorted({m._meta.db_table for m in sample_models()} | {"partnerships_partnership"})
        connections[using].check_constraints(table_names=tables_)
        forget_sample_flag(using)
        bump_revision(using)
    return deleted
