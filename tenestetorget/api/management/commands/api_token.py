"""`tenestetorget api-token USERNAME`: print the API token of a member of staff."""

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token

from tenestetorget.organisation.permissions import is_staff_member


class Command(BaseCommand):
    help = (
        "Print the API token of a member of staff, creating it if missing. Only the token "
        "is written to standard output, so it can be captured: TOKEN=$(tenestetorget "
        "api-token kari)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Replace the existing token with a new one (the old one stops working).",
        )
        parser.add_argument(
            "--revoke",
            action="store_true",
            help="Delete the token and make none: it stops working at once in every worker "
            "(through the shared cache). Prints nothing on standard output.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        user_model = get_user_model()
        user = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user named «{username}».")
        if options["revoke"]:
            # Revoking needs no checks: a deactivated or former member of staff is exactly
            # whose token must go.
            deleted, _ = Token.objects.filter(user=user).delete()
            self.stderr.write(
                f"Revoked the token of «{username}»." if deleted else f"«{username}» had no token."
            )
            return
        if not user.is_active:
            raise CommandError(f"The user «{username}» is deactivated.")
        if not is_staff_member(user):
            raise CommandError(
                f"The user «{username}» is not a member of staff (no staff profile); "
                "only staff may use the API."
            )
        with transaction.atomic():
            if options["rotate"]:
                Token.objects.filter(user=user).delete()
            token, created = Token.objects.get_or_create(user=user)
        if created:
            self.stderr.write(f"Created a new token for «{username}».")
        self.stdout.write(token.key)
