import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from recruiting.models import Candidate, Interviewer

DEMO_INTERVIEWER_ID = "3f6c2a9e-5b1d-4c8e-9f2a-7d4e1b0c8a11"
DEMO_CANDIDATES = [
    ("Ada Lovelace", "ada.lovelace@example.com", {"Manual Score": 91}),
    ("Grace Hopper", "grace.hopper@example.com", {"Manual Score": 88}),
    ("Alan Turing", "alan.turing@example.com", {"Manual Score": 95}),
]


class Command(BaseCommand):
    help = (
        "Create an admin login (ADMIN_USERNAME / ADMIN_PASSWORD, or a generated password) "
        "and a demo Interviewer with three candidate drafts."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self._admin()
        self._demo_data()

    def _admin(self) -> None:
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "")
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        if user and not password:
            self.stdout.write(
                f"Admin login “{username}” already exists (set ADMIN_PASSWORD to reset it)."
            )
            return
        generated = not password
        password = password or secrets.token_urlsafe(12)
        if user is None:
            user = user_model.objects.create_superuser(username=username, email="")
        user.set_password(password)
        user.save()
        shown = password if generated else "(the ADMIN_PASSWORD you set)"
        self.stdout.write(
            self.style.SUCCESS(f"Admin login: username “{username}”, password {shown}")
        )

    def _demo_data(self) -> None:
        interviewer, created = Interviewer.objects.get_or_create(
            external_id=DEMO_INTERVIEWER_ID,
            defaults={
                "name": "Demo: Backend Engineer",
                "visibility": Interviewer.Visibility.PUBLIC,
                "skills": ["python", "django", "postgresql"],
            },
        )
        if not created:
            return
        for name, email, fields in DEMO_CANDIDATES:
            Candidate.objects.create(
                interviewer=interviewer, name=name, email=email, additional_fields=fields
            )
        self.stdout.write(f"Added the demo Interviewer “{interviewer}” with three candidates.")
