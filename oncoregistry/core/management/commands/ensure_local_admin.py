import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "For `make run` only: create a local superuser 'admin' on first run, with a random "
        "password kept in .local-admin-password, and print how to log in."
    )

    def handle(self, *args, **options):
        if settings.ONCOREGISTRY_ENV != "local":
            raise CommandError("ensure_local_admin only runs with ONCOREGISTRY_ENV=local.")
        password_file = Path(settings.BASE_DIR) / ".local-admin-password"
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser("admin", "admin@localhost", password)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            self.stdout.write(f"Created the local admin account 'admin' ({password_file.name}).")
        if password_file.exists():
            password = password_file.read_text().strip()
            self.stdout.write(f"Admin login: user 'admin', password '{password}'")
        else:
            self.stdout.write(
                "Admin login: user 'admin' (password set earlier; `make superuser` makes another)."
            )
