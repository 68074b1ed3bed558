"""Ownership, declared once per model, and the one scoping rule built on it.

**The declaration.** A model that belongs to a partnership says how it reaches it, once, with
a class attribute: ``partnership_path`` is the ORM path from the model to its ``Partnership``
(``""`` for the partnership itself, ``"council__partnership"`` for a membership). A model
that holds people's contact details also names them: ``private_fields`` (published only with
consent) and ``consent_field``. Everything else follows from these declarations:

* :meth:`OwnedQuerySet.visible_to` and :meth:`OwnedQuerySet.editable_by`, the querysets that
  the admin, the exports and anything that comes next (funder pages, API) read through;
* the admin's scoping (:mod:`partnerships.admin_scoping`), history included;
* "used by another partnership" for shared models (:func:`used_by_other_partnerships`),
  built from every relation that points at the model;
* the groups' permissions (:mod:`partnerships.permissions`);
* the system checks (:mod:`partnerships.checks`), which fail when a declaration does not
  lead to ``Partnership``, or an owned model lacks the scoped manager, the scoped admin or
  history, or a model points at an owned model without declaring its own owner.

**The rule.** Superusers read and change everything. Coordinators read and change the rows
of the partnerships they coordinate. Funders read every partnership and change nothing; they
see a person's name, email and phone only where that person consented to publication (so do
exports and every other surface that reads through :meth:`OwnedQuerySet.visible_to`).
The public pages read as the public, under the same rule: ``visible_to(None)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import F, Q
from django.db.models.query import ModelIterable
from django.utils.translation import gettext_lazy as _

COORDINATORS_GROUP = "Coordinators"
FUNDERS_GROUP = "Funders"

#: Shown in place of a contact detail the reader may not see.
WITHHELD = _("(withheld: no consent to publish)")


# -- declarations --------------------------------------------------------------------------


def is_owned(model: type[models.Model] | models.Model) -> bool:
    """Whether a model (or instance) declares ``partnership_path``."""
    return isinstance(getattr(model, "partnership_path", None), str)


def owned_models() -> list[type[models.Model]]:
    """Every installed model that declares an owner (historical models do not)."""
    return [m for m in apps.get_models() if is_owned(m)]


def owner_path(model: type[models.Model]) -> str:
    """The ORM path to the owning partnership's id (``pk`` for a partnership)."""
    return model.partnership_path or "pk"  # type: ignore[attr-defined]


def partnership_lookup(model: type[models.Model], suffix: str = "") -> str:
    """The ORM lookup from ``model`` to its partnership, e.g. ``council__partnership__in``."""
    return f"{owner_path(model)}{suffix}"


def private_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(getattr(model, "private_fields", ()))


def partnership_id_of(obj: models.Model) -> int | None:
    """The id of the partnership that owns ``obj``, following its declaration."""
    path = obj.partnership_path  # type: ignore[attr-defined]
    if not path:
        return obj.pk
    *hops, last = path.split("__")
    target: Any = obj
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


# -- who may do what ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What one user may read and change, computed once per request."""

    reads_all: bool
    edits_all: bool
    own_ids: frozenset[int]

    def can_read(self, partnership_id: int | None) -> bool:
        return self.reads_all or partnership_id in self.own_ids

    def can_edit(self, partnership_id: int | None) -> bool:
        return self.edits_all or partnership_id in self.own_ids

    def shows_contact(self, partnership_id: int | None, consent: bool) -> bool:
        """Contact details: with consent, or to whoever keeps that partnership's roster."""
        return bool(consent) or self.can_edit(partnership_id)

    @property
    def masks_contacts(self) -> bool:
        """Whether this user reads rows they may not change (and so may not see contacts)."""
        return self.reads_all and not self.edits_all


NO_SCOPE = Scope(reads_all=False, edits_all=False, own_ids=frozenset())
#: The public (and the public pages, whoever is signed in): reads everything, changes nothing,
#: sees contact details only with consent: the funders' rule.
PUBLIC = Scope(reads_all=True, edits_all=False, own_ids=frozenset())


def scope_of(user: Any) -> Scope:
    """The user's :class:`Scope` (two queries, then cached on the user object).

    ``None`` or an anonymous user is the public.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC
    cached = getattr(user, "_partnership_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(reads_all=True, edits_all=True, own_ids=frozenset())
    else:
        groups = set(user.groups.values_list("name", flat=True))
        own = frozenset(user.coordinated_partnerships.values_list("pk", flat=True))
        # A coordinator who is also in the funders' group stays a coordinator.
        funder = FUNDERS_GROUP in groups and COORDINATORS_GROUP not in groups
        scope = Scope(reads_all=funder, edits_all=False, own_ids=own)
    user._partnership_scope = scope
    return scope


def coordinated_partnership_ids(user: Any) -> list[int]:
    """Ids of the partnerships a user coordinates."""
    return sorted(scope_of(user).own_ids)


def can_read(user: Any, obj: models.Model | None) -> bool:
    """Whether ``user`` may read ``obj`` (objects no partnership owns are readable)."""
    if obj is None or not is_owned(obj):
        return True
    return scope_of(user).can_read(partnership_id_of(obj))


def can_edit(user: Any, obj: models.Model | None) -> bool:
    """Whether ``user`` may change ``obj`` (objects no partnership owns: the admin decides)."""
    if obj is None or not is_owned(obj):
        return True
    return scope_of(user).can_edit(partnership_id_of(obj))


# -- contact details ----------------------------------------------------------------------


def declaring_model(model: type[models.Model]) -> type[models.Model]:
    """The model whose declarations apply (a historical model follows its original)."""
    return getattr(model, "instance_type", model)


def contact_visible_q(model: type[models.Model], scope: Scope) -> Q:
    """Rows whose contact details ``scope`` may see, as a filter on ``model``."""
    declared = declaring_model(model)
    consent = getattr(declared, "consent_field", None)
    if scope.edits_all or not private_fields(declared):
        return Q()
    visible = Q(**{partnership_lookup(declared, "__in"): scope.own_ids})
    if consent:
        visible |= Q(**{consent: True})
    return visible


def mask(obj: models.Model, scope: Scope, partnership_id: int | None = None) -> models.Model:
    """Blank the private fields of ``obj`` when ``scope`` may not see them (in place)."""
    declared = declaring_model(type(obj))
    fields = private_fields(declared)
    if not fields:
        return obj
    if partnership_id is None:
        partnership_id = partnership_id_of(obj)
    consent = getattr(obj, getattr(declared, "consent_field", ""), False)
    if not scope.shows_contact(partnership_id, consent):
        for name in fields:
            setattr(obj, name, "")
        obj.contacts_withheld = True
    return obj


class MaskedModelIterable(ModelIterable):
    """Yields instances whose private fields are blanked where the reader may not see them.

    Querysets copy their iterable class when cloned (history querysets included), so the
    reader's scope travels on a subclass made by :func:`masked_iterable`.
    """

    scope: Scope = NO_SCOPE

    def __iter__(self) -> Iterator[models.Model]:
        for obj in super().__iter__():
            yield mask(obj, self.scope, getattr(obj, "scope_owner_id", None))


@lru_cache(maxsize=256)
def masked_iterable(scope: Scope) -> type[MaskedModelIterable]:
    return type("ScopedMaskedModelIterable", (MaskedModelIterable,), {"scope": scope})


# -- the querysets ------------------------------------------------------------------------


class OwnedQuerySet(models.QuerySet):
    """Default queryset of every owned model: the one place rows are scoped to a user."""

    def for_partnerships(self, partnership_ids: Any) -> OwnedQuerySet:
        """Rows belonging to any of the given partnerships (ids or a queryset)."""
        return self.filter(
            **{partnership_lookup(declaring_model(self.model), "__in"): partnership_ids}
        )

    def editable_by(self, user: Any) -> OwnedQuerySet:
        """Rows the user may change."""
        scope = scope_of(user)
        if scope.edits_all:
            return self.all()
        return self.for_partnerships(scope.own_ids)

    def visible_to(self, user: Any) -> OwnedQuerySet:
        """Rows the user may read, with contact details blanked where they may not see them."""
        return scope_rows(self, user)

    def visible_values(self, user: Any, *fields: str, chunk_size: int = 2000) -> Iterator[tuple]:
        """Tuples of ``fields`` of the rows the user may read, streamed (server-side cursor),
        private fields blanked by the same rule as :meth:`visible_to` (:meth:`Scope.
        shows_contact`, called per row on two extra values): for exports of many rows,
        where model instances cost more than the rest. ``values_list()`` on a
        :meth:`visible_to` queryset would *not* mask: read people's details through this."""
        model = declaring_model(self.model)
        scope = scope_of(user)
        queryset = self.visible_to(user)
        hidden = [index for index, name in enumerate(fields) if name in private_fields(model)]
        if not (scope.masks_contacts and hidden):
            yield from queryset.values_list(*fields).iterator(chunk_size=chunk_size)
            return
        consent = getattr(model, "consent_field", None)
        extra = [model.partnership_path or "pk", consent or model.partnership_path or "pk"]
        width = len(fields)
        for row in queryset.values_list(*fields, *extra).iterator(chunk_size=chunk_size):
            if scope.shows_contact(row[width], bool(consent) and row[width + 1]):
                yield row[:width]
            else:
                masked = list(row[:width])
                for index in hidden:
                    masked[index] = ""
                yield tuple(masked)


def scope_rows(queryset: models.QuerySet, user: Any) -> models.QuerySet:
    """``queryset`` narrowed to what ``user`` may read, contacts masked (also for history)."""
    model = declaring_model(queryset.model)
    if not is_owned(model):
        return queryset
    scope = scope_of(user)
    if not scope.reads_all:
        path = model.partnership_path or ("id" if model is not queryset.model else "pk")
        queryset = queryset.filter(**{f"{path}__in": scope.own_ids})
    already = issubclass(queryset._iterable_class, MaskedModelIterable)
    if scope.masks_contacts and private_fields(model) and not already:
        path = model.partnership_path or "id"
        queryset = queryset.annotate(scope_owner_id=F(path))
        queryset._iterable_class = masked_iterable(scope)
    return queryset


# -- shared models ------------------------------------------------------------------------


def owned_relations(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """(owned model, field) for every relation from an owned model that points at ``model``.

    Read from the model's reverse relations, so a relation added later is covered by itself.
    """
    found = []
    for relation in model._meta.related_objects:
        if is_owned(relation.related_model):
            found.append((relation.related_model, relation.field.name))
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1]))


def used_by_other_partnerships(obj: models.Model, partnership_ids: Any) -> bool:
    """Whether a partnership outside ``partnership_ids`` uses ``obj`` through any relation."""
    for related, field in owned_relations(type(obj)):
        others = related._default_manager.filter(**{field: obj}).exclude(
            **{partnership_lookup(related, "__in"): partnership_ids}
        )
        if others.exists():
            return True
    return False
