import uuid

import factory
from django.contrib.auth import get_user_model

from ingestion.client import Outcome
from ingestion.models import IngestionRequest, Trigger
from recruiting.models import Candidate, Interviewer


class InterviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interviewer

    external_id = factory.LazyFunction(uuid.uuid4)
    name = factory.Sequence(lambda n: f"Backend Engineer {n}")
    visibility = Interviewer.Visibility.PUBLIC
    skills = factory.LazyFunction(lambda: ["python", "django"])


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    interviewer = factory.SubFactory(InterviewerFactory)
    name = factory.Sequence(lambda n: f"Candidate {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.django.Password("correct horse battery")


class IngestionRequestFactory(factory.django.DjangoModelFactory):
    """A history row; pass `candidates=[...]` to link them and count them."""

    class Meta:
        model = IngestionRequest
        skip_postgeneration_save = True

    interviewer = factory.SubFactory(InterviewerFactory)
    candidate_count = 1
    trigger = Trigger.ADMIN
    url = "http://127.0.0.1/api/external/ingest/candidates"
    request_body = factory.LazyFunction(lambda: {"data": []})
    http_status = 201
    outcome = Outcome.ACCEPTED

    @factory.post_generation
    def candidates(self, create: bool, extracted: list[Candidate] | None, **kwargs) -> None:
        if create and extracted:
            self.candidates.set(extracted)
            self.candidate_count = len(extracted)
            self.save(update_fields=["candidate_count"])
