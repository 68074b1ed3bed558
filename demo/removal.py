"""Remove the demo data set without deleting or changing a single real row.

Only rows flagged ``is_sample`` are removed. A sample row that any other kept row still points
at (a coordinator's real member under a sample council, a real action whose working group is a
sample one, a partnership hosted by a sample organization...) is kept, and so is everything
that kept row points at in turn. The check is computed from every relation Django knows that
points at a sample model, so a relation added later is covered without touching this module.

Rows are deleted bottom-up with plain SQL deletes: no ``CASCADE`` or ``SET_NULL`` runs and no
model signal is sent. That is on purpose:

- django-simple-history would otherwise write one "deleted" history record per sample row
  (thousands on every reload) for rows that were bulk-created without history, and its 3.13
  release has no per-call switch for deletions (``skip_history_when_saving`` is only honoured
  on save; ``SIMPLE_HISTORY_ENABLED`` is a process-wide setting);
- without cascades, a relation this module somehow missed cannot silently delete or null a
  real row: the database's foreign-key check below fails and the whole transaction rolls back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, models, router, transaction

from demo.flags import forget_sample_flag
from directory.revision import bump_revision
from partnerships.models import SampleData

Row = tuple[type[models.Model], int]
CHUNK = 500


@dataclass
class Removal:
    """Which sample rows go, and which stay because other rows still point at them."""

    removed: dict[type[models.Model], set[int]] = field(default_factory=dict)
    kept: dict[type[models.Model], set[int]] = field(default_factory=dict)

    def deleted_summary(self) -> str:
        """E.g. "101 councils, 2000 council memberships" (empty when nothing was deleted)."""
        return _describe({model: len(pks) for model, pks in self.removed.items()})

    def kept_summary(self) -> str:
        """E.g. "1 council, 2 organizations" (empty when nothing was kept)."""
        return _describe({model: len(pks) for model, pks in self.kept.items()})


def _describe(counts: dict[type[models.Model], int]) -> str:
    return ", ".join(
        f"{count} {model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
        for model, count in counts.items()
        if count
    )


def sample_models() -> list[type[models.Model]]:
    """Every installed model with the sample flag, each before the sample models it points at."""
    remaining = [model for model in apps.get_models() if issubclass(model, SampleData)]
    points_at = {
        model: {f.related_model for f in model._meta.concrete_fields if f.is_relation} - {model}
        for model in remaining
    }
    ordered: list[type[models.Model]] = []
    while remaining:
        # Models no remaining model points at can go first; on a cycle any order will do,
        # because the database checks foreign keys at the end of the transaction.
        free = [m for m in remaining if not any(m in points_at[r] for r in remaining)]
        for model in free or remaining[:1]:
            ordered.append(model)
            remaining.remove(model)
    return ordered


def _pointers(target: type[models.Model]) -> Iterator[models.Field]:
    """Every foreign key, one-to-one or many-to-many field, of any model, that points at target.

    Pointers from simple-history's audit tables are left out: they are declared without a
    database constraint and ``DO_NOTHING``, because history must outlive the row it describes.
    Link tables of many-to-many fields are covered by the many-to-many field itself.
    """
    for rel in target._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete):
            continue  # a field of target itself, not a relation pointing at it
        pointer = rel.field
        if isinstance(pointer, models.ManyToManyField):
            yield pointer
        elif isinstance(pointer, models.ForeignKey):
            if pointer.model._meta.auto_created:
                continue  # a many-to-many link table: its ManyToManyField is yielded instead
            if pointer.remote_field.on_delete is models.DO_NOTHING and not pointer.db_constraint:
                continue  # an audit pointer (simple-history) that may outlive its row
            yield pointer
        else:
            raise TypeError(
                f"Cannot tell whether {pointer.model.__name__}.{pointer.name} keeps sample "
                f"{target.__name__} rows alive: teach demo.removal about {type(pointer).__name__}."
            )


def _references(
    target: type[models.Model], pointer: models.Field, using: str
) -> Iterator[tuple[Row, Row]]:
    """(referring row, sample row of target) for every row pointing at a sample row."""
    source = pointer.model
    if isinstance(pointer, models.ManyToManyField):
        through = pointer.remote_field.through
        owner = through._meta.get_field(pointer.m2m_field_name()).attname
        linked = through._meta.get_field(pointer.m2m_reverse_field_name()).name
        rows = through._base_manager.using(using).filter(**{f"{linked}__is_sample": True})
        pairs = rows.order_by().values_list(owner, f"{linked}__pk")
    else:
        rows = source._base_manager.using(using).filter(**{f"{pointer.name}__is_sample": True})
        pairs = rows.order_by().values_list("pk", f"{pointer.name}__pk")
    for source_pk, target_pk in pairs:
        yield (source, source_pk), (target, target_pk)


def plan_removal(candidates: Iterable[type[models.Model]], using: str) -> Removal:
    """Which sample rows can go: those no kept row (real, or sample but kept) points at."""
    removed = {
        model: set(
            model._base_manager.using(using)
            .filter(is_sample=True)
            .order_by()
            .values_list("pk", flat=True)
        )
        for model in candidates
    }
    removal = Removal(removed=removed, kept={model: set() for model in removed})
    points_at: dict[Row, list[Row]] = defaultdict(list)
    to_keep: list[Row] = []
    for model in removed:
        for pointer in _pointers(model):
            for source, target in _references(model, pointer, using):
                points_at[source].append(target)
                if source[1] not in removed.get(source[0], ()):
                    to_keep.append(target)
    while to_keep:
        model, pk = to_keep.pop()
        if pk in removed[model]:
            removed[model].discard(pk)
            removal.kept[model].add(pk)
            to_keep.extend(points_at.get((model, pk), ()))  # what a kept row needs stays too
    return removal


def _chunks(pks: set[int]) -> Iterator[list[int]]:
    ordered = sorted(pks)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _delete_rows(model: type[models.Model], pks: set[int], using: str) -> None:
    """Plain SQL delete: no signals (so no history records), no cascades (see module doc)."""
    for chunk in _chunks(pks):
        model._base_manager.using(using).filter(pk__in=chunk)._raw_delete(using)


def remove_sample_data() -> Removal:
    """Delete every sample row no other row depends on, bottom-up, in one transaction."""
    ordered = sample_models()
    using = router.db_for_write(ordered[0])
    with transaction.atomic(using=using):
        removal = plan_removal(ordered, using)
        # Link rows of a removed row's own many-to-many fields go first, with it. A link from
        # any other row keeps its target (see plan_removal), so no other link is touched.
        for model in ordered:
            for m2m in model._meta.many_to_many:
                through = m2m.remote_field.through
                if through._meta.auto_created:
                    owner = through._meta.get_field(m2m.m2m_field_name()).attname
                    for chunk in _chunks(removal.removed[model]):
                        links = through._base_manager.using(using).filter(**{f"{owner}__in": chunk})
                        links._raw_delete(using)
        for model in ordered:
            _delete_rows(model, removal.removed[model], using)
        # Any row still pointing at a removed one makes this fail, and nothing is removed.
        # Every table is checked, not only those _pointers found: this guards _pointers too.
        tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
        connections[using].check_constraints(table_names=sorted(tables))
        forget_sample_flag(using)  # raw deletes send no signal
        bump_revision(using)
    return removal
