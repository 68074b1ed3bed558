"""Create or update a coordinator account, assign it to a partnership, print a set-password link.

    python manage.py add_coordinator USERNAME SLUG [--email E] [--base-url URL]

The account is a staff user in the Coordinators group with no usable password; the printed
link (Django's password-reset token) lets the person choose one, once: the token stops working
as soon as the password changes, and after ``PASSWORD_RESET_TIMEOUT`` (3 days by default).
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from partnerships.models import Partnership
from partnerships.scoping import COORDINATORS_GROUP


def set_password_url(user: Any, base_url: str) -> str:
    """A one-time link for ``user`` to choose a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("admin_set_password", args=[uid, token])


class Command(BaseCommand):
    help = "Create or update a coordinator, assign a partnership, print a set-password link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("slug", help="slug of the partnership to coordinate")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--base-url",
            default=os.environ.get("SITE_URL", "http://127.0.0.1:8000"),
            help="site address used in the link (default: $SITE_URL or http://127.0.0.1:8000)",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        partnership = Partnership.objects.filter(slug=options["slug"]).first()
        if partnership is None:
            raise CommandError(f"No partnership with slug {options['slug']!r}.")
        email = options["email"].strip()
        if email:
            try:
                validate_email(email)
            except ValidationError as exc:
                raise CommandError(f"Invalid email address {email!r}.") from exc
        User = get_user_model()
        user, created = User.objects.get_or_create(username=options["username"])
        if created:
            user.set_unusable_password()
        if email:
            user.email = email
        user.is_staff = True
        user.is_active = True
        user.save()
        group, _ = Group.objects.get_or_create(name=COORDINATORS_GROUP)
        user.groups.add(group)
        partnership.coordinators.add(user)
        verb = "Created" if created else "Updated"
        self.stdout.write(
            f"{verb} coordinator {user.username!r} for {partnership.name} ({partnership.slug})."
        )
        self.stdout.write("One-time link to set the password (valid until used, 3 days at most):")
        self.stdout.write(set_password_url(user, options["base_url"]))
