import uuid

import factory
from django.contrib.auth import get_user_model

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
