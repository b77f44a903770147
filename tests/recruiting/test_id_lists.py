from __future__ import annotations

import pytest

from recruiting.id_lists import pk_among
from recruiting.models import Candidate
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_rows_are_found_by_a_list_of_ids_and_an_empty_list_finds_none():
    first, second, third = CandidateFactory.create_batch(3)

    assert set(Candidate.objects.filter(pk_among([first.pk, third.pk]))) == {first, third}
    assert set(Candidate.objects.filter(pk_among(iter([second.pk])))) == {second}
    assert not Candidate.objects.filter(pk_among([])).exists()
    assert Candidate.objects.filter(pk_among([second.pk])).update(name="Grace Hopper") == 1
    assert Candidate.objects.get(pk=second.pk).name == "Grace Hopper"
