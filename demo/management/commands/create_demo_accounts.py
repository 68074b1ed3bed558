"""Create (or reset) the three demo accounts and print how to sign in with them.

    python manage.py create_demo_accounts

* ``admin`` — site administrator (superuser);
* ``coordinator`` — staff, in the Coordinators group, coordinates one real partnership
  (the Calgary LIP of the real data set, otherwise the first partnership by name);
* ``funder`` — staff, in the Funders group: reads every partnership and exports.

The passwords are fixed, public demo passwords: the command refuses to run when ``DEBUG`` is
off unless ``--force`` is given. Running it again resets the accounts to the same state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from partnerships.models import Partnership
from partnerships.scoping import COORDINATORS_GROUP, FUNDERS_GROUP

# The demo coordinator's partnership: the Calgary LIP's slug in fixtures/partnerships.json
# (tests/demo/test_demo_accounts.py fails if the fixture stops having it).
CALGARY_SLUG = "calgary-local-immigration-partnership"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str
    superuser: bool = False
    group: str | None = None


ACCOUNTS = (
    DemoAccount("Site admin", "admin", "Directory-admin-2025", superuser=True),
    DemoAccount("Coordinator", "coordinator", "Directory-coord-2025", group=COORDINATORS_GROUP),
    DemoAccount("Funder", "funder", "Directory-funder-2025", group=FUNDERS_GROUP),
)


def pick_partnership(slug: str | None = None) -> Partnership | None:
    """The partnership the demo coordinator looks after (every partnership is real data)."""
    queryset = Partnership.objects.all()
    if slug:
        found = queryset.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"No partnership with slug {slug!r}.")
        return found
    return queryset.filter(slug=CALGARY_SLUG).first() or queryset.order_by("name", "pk").first()


class Command(BaseCommand):
    help = "Create or reset the demo accounts (admin, coordinator, funder) and print them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off (the passwords are public: never in production).",
        )
        parser.add_argument(
            "--partnership",
            metavar="SLUG",
            help="Slug of the partnership the demo coordinator coordinates.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: refusing to create accounts with public demo passwords. "
                "Use --force only on a throwaway demo server."
            )
        with transaction.atomic():
            partnership = pick_partnership(options.get("partnership"))
            for account in ACCOUNTS:
                self._save(account, partnership)
        self._report(partnership)

    def _save(self, account: DemoAccount, partnership: Partnership | None) -> None:
        user_model = get_user_model()
        user, _created = user_model.objects.get_or_create(
            username=account.username,
            defaults={"email": f"{account.username}@example.org"},
        )
        user.is_active = True
        user.is_staff = True
        user.is_superuser = account.superuser
        try:
            validate_password(account.password, user)
        except ValidationError as error:
            raise CommandError(
                f"Demo password for {account.username!r} fails the password validators: "
                + " ".join(error.messages)
            ) from error
        user.set_password(account.password)
        user.save()
        groups = [Group.objects.get_or_create(name=account.group)[0]] if account.group else []
        user.groups.set(groups)
        if account.group == COORDINATORS_GROUP:
            user.coordinated_partnerships.set([partnership] if partnership else [])

    def _report(self, partnership: Partnership | None) -> None:
        width = max(len(a.username) for a in ACCOUNTS)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts (public passwords: demo use only)"))
        for account in ACCOUNTS:
            self.stdout.write(
                f"  {account.role:<12} username: {account.username:<{width}}  "
                f"password: {account.password}"
            )
        if partnership is not None:
            self.stdout.write(
                f"  The coordinator coordinates: {partnership.name} ({partnership.slug})"
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    "  No partnership loaded yet: the coordinator coordinates nothing. "
                    "Load data and run this command again."
                )
            )
        self.stdout.write("  Sign in at /admin/login/")
        self.stdout.write("")
