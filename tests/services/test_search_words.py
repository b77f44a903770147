"""The candidate search's own table on PostgreSQL: kept true by triggers, whoever writes, and
never written by a change of delivery state."""

from __future__ import annotations

import pytest
from django.db import connection

from recruiting.candidate_display import candidates_matching
from recruiting.models import Candidate
from recruiting.search_words import TABLE
from tests.factories import CandidateFactory, InterviewerFactory

pytestmark = pytest.mark.django_db
State = Candidate.State


def words() -> dict[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT candidate_id, words FROM {TABLE}")
        return dict(cursor.fetchall())


def found(term: str) -> set[str]:
    return set(candidates_matching(Candidate.objects.all(), term).values_list("name", flat=True))


def test_every_way_of_writing_a_candidate_keeps_its_words():
    interviewer = InterviewerFactory()
    ada = CandidateFactory(name="Ada", email="ada@example.com", metadata={"ATS": "c_1"})
    Candidate.objects.bulk_create(
        [Candidate(interviewer=interviewer, name=f"Bulk {n}", email=f"b{n}@x.io") for n in (1, 2)]
    )
    assert words()[ada.pk] == 'ADA\x1fADA@EXAMPLE.COM\x1f{"ATS": "C_1"}'
    assert len(words()) == 3

    ada.name = "Ada Lovelace"
    ada.save()
    Candidate.objects.filter(name="Bulk 1").update(metadata={"Phone": "+44 20"})
    Candidate.objects.filter(name="Bulk 2").delete()

    assert words()[ada.pk].startswith("ADA LOVELACE\x1f")
    assert found("+44") == {"Bulk 1"}
    assert found("lovelace") == {"Ada Lovelace"}
    assert len(words()) == 2


def test_a_change_of_state_never_writes_the_words():
    ada = CandidateFactory(name="Ada")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {TABLE} WHERE candidate_id = %s", [ada.pk])
        (before,) = cursor.fetchone()
        Candidate.objects.filter(pk=ada.pk).update(state=State.SENT, upstream_id="ifa_1")
        cursor.execute(f"SELECT xmin::text FROM {TABLE} WHERE candidate_id = %s", [ada.pk])
        (after,) = cursor.fetchone()

    assert after == before
    assert found("ifa_1") == {"Ada"}


def test_words_are_matched_literally_and_not_across_two_texts():
    CandidateFactory(name="Ada", email="ada@example.com")
    CandidateFactory(name="100% Grace", email="grace@example.com")

    assert found("100%") == {"100% Grace"}
    assert found("_") == set()
    assert found("ada ada@") == {"Ada"}
    assert found("adaada") == set()


def plan(term: str) -> str:
    sql, params = candidates_matching(Candidate.objects.order_by(), term).query.sql_with_params()
    with connection.cursor() as cursor:
        # A few rows make a scan cheapest, or a walk along the key: forbid both, so the plan
        # shows whether an index fits the words.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_plain_words_are_one_read_of_the_trigram_index_and_an_id_its_own():
    CandidateFactory(name="Ada Lovelace", upstream_id="ifa_7")

    plain, with_id = plan("ada lovelace"), plan("ifa_7")

    assert plain.count("candidate_search_trigram") == 1, plain
    assert "Seq Scan" not in plain, plain
    assert "candidate_upstream_id" in with_id, with_id
    assert "Seq Scan" not in with_id, with_id


def test_each_word_may_match_a_part_of_its_own():
    platform = InterviewerFactory(name="Platform Engineer")
    CandidateFactory(name="Ada Lovelace", interviewer=platform, upstream_id="ifa_7")
    CandidateFactory(name="Ada Byron")

    assert found("ada platform") == {"Ada Lovelace"}
    assert found("ifa_7 lovelace") == {"Ada Lovelace"}
    assert found("ada byron") == {"Ada Byron"}
    assert found("ada") == {"Ada Lovelace", "Ada Byron"}
    assert found("ifa_7 byron") == set()


def test_the_candidate_table_holds_no_trigram_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'recruiting_candidate' "
            "AND indexdef LIKE '%%gin_trgm_ops%%'"
        )
        assert cursor.fetchall() == []
