"""What the candidate search reads on PostgreSQL: each candidate's words, in a table of their own.

A trigram index is dear to write: each new version of a row adds an entry for every
trigram of each indexed text. A push writes every candidate's row three times (queued,
claimed, sent) while its name, email and metadata stay the same, so with the trigram
indexes on the candidate table most of a push's database time went into them. The texts
searched now live in `recruiting_candidate_search`, one row per candidate under one trigram
index. Triggers keep it true whoever writes, the ORM, a bulk import or plain SQL: on every
INSERT, on every UPDATE that changes the name, the email or the metadata, on DELETE and on
TRUNCATE. An UPDATE that names none of those columns (every delivery state change) does
not even consider them.

The InterviewFlowAI id is matched whole, from a B-tree index on the ids given: it is
written once, when a candidate is first sent, and a trigram index on it cost the same as
the others. SQLite has no such table and no trigger: it compares the columns themselves.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, migrations
from django.db.models import Q
from django.db.models.expressions import RawSQL

TABLE = "recruiting_candidate_search"
# The candidates whose InterviewFlowAI id is this one, read from the partial index.
BY_UPSTREAM_ID = "SELECT id FROM recruiting_candidate WHERE upstream_id = %s AND upstream_id <> ''"
# Between the texts, a control character no one types: no word matches across two of them.
WORDS = "UPPER(concat_ws(E'\\x1f', {row}.name, {row}.email, {row}.metadata::text))"
OLD_INDEXES = {
    "candidate_name_trigram": "UPPER((name)::text)",
    "candidate_email_trigram": "UPPER((email)::text)",
    "candidate_upstream_id_trigram": "UPPER((upstream_id)::text)",
    "candidate_metadata_trigram": "UPPER(((metadata)::text)::text)",
}

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE IF NOT EXISTS {TABLE} (candidate_id bigint PRIMARY KEY, words text NOT NULL);
CREATE INDEX IF NOT EXISTS candidate_search_trigram ON {TABLE} USING gin (words gin_trgm_ops);

CREATE OR REPLACE FUNCTION {TABLE}_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (candidate_id, words)
    SELECT added.id, {WORDS.format(row="added")} FROM added
    ON CONFLICT (candidate_id) DO UPDATE SET words = EXCLUDED.words;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION {TABLE}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (candidate_id, words) VALUES (NEW.id, {WORDS.format(row="NEW")})
    ON CONFLICT (candidate_id) DO UPDATE SET words = EXCLUDED.words;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION {TABLE}_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {TABLE} WHERE candidate_id IN (SELECT id FROM removed);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION {TABLE}_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE {TABLE};
    RETURN NULL;
END $$;

CREATE TRIGGER candidate_search_added AFTER INSERT ON recruiting_candidate
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_added();
CREATE TRIGGER candidate_search_changed AFTER UPDATE OF name, email, metadata
    ON recruiting_candidate FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email
          OR OLD.metadata IS DISTINCT FROM NEW.metadata)
    EXECUTE FUNCTION {TABLE}_changed();
CREATE TRIGGER candidate_search_removed AFTER DELETE ON recruiting_candidate
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_removed();
CREATE TRIGGER candidate_search_emptied AFTER TRUNCATE ON recruiting_candidate
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_emptied();

INSERT INTO {TABLE} (candidate_id, words)
SELECT id, {WORDS.format(row="recruiting_candidate")} FROM recruiting_candidate
ON CONFLICT (candidate_id) DO NOTHING;
"""

DROP = f"""
DROP TRIGGER IF EXISTS candidate_search_added ON recruiting_candidate;
DROP TRIGGER IF EXISTS candidate_search_changed ON recruiting_candidate;
DROP TRIGGER IF EXISTS candidate_search_removed ON recruiting_candidate;
DROP TRIGGER IF EXISTS candidate_search_emptied ON recruiting_candidate;
DROP FUNCTION IF EXISTS {TABLE}_added(), {TABLE}_changed(), {TABLE}_removed(),
    {TABLE}_emptied();
DROP TABLE IF EXISTS {TABLE};
"""


def words_table() -> migrations.RunPython:
    """A migration operation: the table, its triggers and its rows on PostgreSQL, in place of
    the trigram indexes on the candidate table; and back."""

    def create(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(CREATE)
            for name in OLD_INDEXES:
                schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    def drop(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(DROP)
            for name, expression in OLD_INDEXES.items():
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON recruiting_candidate "
                    f"USING gin ({expression} gin_trgm_ops)"
                )

    return migrations.RunPython(create, drop)


def words_matching(terms: list[tuple[str, list[int]]]) -> Q:
    """The candidates with each word in their texts or Interviewer, or as their id upstream.

    `terms` gives each word with the Interviewers whose name holds it.
    """
    if connection.vendor != "postgresql":
        return Q(*(_columns_matching(term, interviewer_ids) for term, interviewer_ids in terms))
    # The words that can only be in the texts, as most are, in one read of the trigram
    # index: it intersects them itself, where a set of ids per word, one of them perhaps
    # every candidate ("example"), would have to be built and joined.
    plain = [term for term, ids in terms if not ids and not _an_id_upstream(term)]
    found = Q()
    if plain:
        where = " AND ".join(["words LIKE UPPER(%s)"] * len(plain))
        ids = RawSQL(
            f"SELECT candidate_id FROM {TABLE} WHERE {where}", [_contains(term) for term in plain]
        )
        found &= Q(pk__in=ids)
    for term, interviewer_ids in terms:
        if term not in plain:
            found &= _any_part_matching(term, interviewer_ids)
    return found


def _columns_matching(term: str, interviewer_ids: list[int]) -> Q:
    return (
        Q(name__icontains=term)
        | Q(email__icontains=term)
        | Q(metadata_text__icontains=term)
        | Q(upstream_id=term)
        | Q(interviewer__in=interviewer_ids)
    )


def _an_id_upstream(term: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"{BY_UPSTREAM_ID} LIMIT 1", [term])
        return cursor.fetchone() is not None


def _any_part_matching(term: str, interviewer_ids: list[int]) -> Q:
    """One list of ids, each part from its own index, joined once: an OR across the
    candidate's columns would make PostgreSQL test every candidate in turn."""
    parts = [
        (f"SELECT candidate_id FROM {TABLE} WHERE words LIKE UPPER(%s)", [_contains(term)]),
        (BY_UPSTREAM_ID, [term]),
    ]
    if interviewer_ids:
        parts.append(
            (
                "SELECT id FROM recruiting_candidate WHERE interviewer_id = ANY(%s)",
                [interviewer_ids],
            )
        )
    sql = " UNION ".join(part for part, _ in parts)
    return Q(pk__in=RawSQL(sql, [value for _, values in parts for value in values]))


def _contains(term: str) -> str:
    """The LIKE pattern of a word anywhere, its own % and _ taken literally."""
    return f"%{connection.ops.prep_for_like_query(term)}%"
