from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Issue, rotate or revoke a user's API token. Each editor has their own token; "
        "revoking it refuses every later request made with it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--revoke", action="store_true", help="Delete the user's token")
        action.add_argument(
            "--rotate", action="store_true", help="Replace the user's token with a new one"
        )

    def handle(self, *args, username, revoke, rotate, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"There is no user '{username}'.") from None
        if revoke:
            deleted, _ = Token.objects.filter(user=user).delete()
            if deleted:
                self.stdout.write(self.style.SUCCESS(f"The API token of '{username}' is revoked."))
            else:
                self.stdout.write(f"'{username}' had no API token; nothing to revoke.")
            return
        if not user.is_active:
            raise CommandError(f"'{username}' is inactive; activate the account first.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if not user.is_superuser and not user.get_all_permissions():
            self.stderr.write(
                f"Note: '{username}' has no model permissions, so the token can only read. "
                "Add the user to the Editors group to let it write."
            )
        self.stdout.write(token.key)
