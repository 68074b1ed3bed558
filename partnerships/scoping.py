"""One scoping mechanism for every partnership-owned model.

Each model that belongs to a partnership declares ``partnership_path``: the ORM lookup from
the model to its ``Partnership`` ("" for the partnership itself, ``"council__partnership"``
for a membership...). The admin, exports, history views and plans all filter through
:class:`OwnedQuerySet` so that a coordinator only ever sees their own partnerships' rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


COORDINATORS_GROUP = "Coordinators"
FUNDERS_GROUP = "Funders"


def partnership_lookup(model: type[models.Model], suffix: str = "") -> str:
    """The ORM lookup from ``model`` to its partnership, e.g. ``council__partnership__in``."""
    path = model.partnership_path  # type: ignore[attr-defined]
    return f"{path or 'pk'}{suffix}"


def is_coordinator(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A coordinator is a staff user in the Coordinators group (superusers are not scoped)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_superuser", False):
        return False
    return user.groups.filter(name=COORDINATORS_GROUP).exists()  # type: ignore[union-attr]


def is_funder(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A funder reads every partnership and exports, and changes nothing."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "is_superuser", False):
        return False
    return user.groups.filter(name=FUNDERS_GROUP).exists()  # type: ignore[union-attr]


def sees_everything(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Superusers and funders read every partnership; everyone else is scoped."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False):
        return True
    return is_funder(user) and not is_coordinator(user)


def coordinated_partnership_ids(user: Any) -> list[int]:
    """Ids of the partnerships a user coordinates, cached on the user object per request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_coordinated_partnership_ids", None)
    if cached is None:
        cached = list(user.coordinated_partnerships.values_list("pk", flat=True))
        user._coordinated_partnership_ids = cached
    return cached


class OwnedQuerySet(models.QuerySet):
    """Queryset for models owned by a partnership (see ``partnership_path``)."""

    def for_partnerships(self, partnership_ids: Any) -> OwnedQuerySet:
        """Rows belonging to any of the given partnerships (ids or a queryset)."""
        lookup = partnership_lookup(self.model, "__in")
        return self.filter(**{lookup: partnership_ids})

    def editable_by(self, user: Any) -> OwnedQuerySet:
        """Rows the user may change: all for a superuser, own partnerships for a coordinator."""
        if getattr(user, "is_superuser", False):
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.for_partnerships(coordinated_partnership_ids(user))

    def visible_to(self, user: Any) -> OwnedQuerySet:
        """Rows the user may read: superusers and funders see all, coordinators their own."""
        if sees_everything(user):
            return self.all()
        return self.editable_by(user)
