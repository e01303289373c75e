"""The consensus layer in the store: its pseudo-rater, its decisions (the audit trail) and
the reads an adjudication view needs (portable SQL)."""

from __future__ import annotations

import json

from sqlalchemy import Connection, delete, insert, select

from .codings import now
from .schema import code, coding, consensus_decision, rater, segment, unit_status

CONSENSUS_NAME = "Consensus"
CONSENSUS_ROLE = "consensus"


def consensus_rater(conn: Connection) -> int | None:
    return conn.execute(select(rater.c.id).where(rater.c.role == CONSENSUS_ROLE)).scalar()


def add_consensus_rater(conn: Connection) -> int:
    name = CONSENSUS_NAME
    taken = {r[0].casefold() for r in conn.execute(select(rater.c.name))}
    while name.casefold() in taken:          # a real rater called "Consensus" keeps her name
        name += " (layer)"
    return conn.execute(insert(rater).values(name=name, initials="CONS", role=CONSENSUS_ROLE,
                                             created_at=now())).inserted_primary_key[0]


def drop_rater(conn: Connection, rater_id: int) -> None:
    conn.execute(delete(rater).where(rater.c.id == rater_id))


def independent_raters(conn: Connection) -> list[tuple[int, str]]:
    return [(r[0], r[1]) for r in conn.execute(
        select(rater.c.id, rater.c.name).where(rater.c.role != CONSENSUS_ROLE)
        .order_by(rater.c.id))]


def unit_codings(conn: Connection, transcript_id: int, rater_ids: list[int]) -> list[tuple]:
    """(segment id or None, rater id, code key, value) of the raters on one transcript."""
    return [tuple(r) for r in conn.execute(
        select(coding.c.segment_id, coding.c.rater_id, code.c.key, coding.c.value)
        .join(code, code.c.id == coding.c.code_id)
        .where(coding.c.transcript_id == transcript_id, coding.c.rater_id.in_(rater_ids))
        .order_by(coding.c.id))]


def completed_pairs(conn: Connection, transcript_id: int, rater_ids: list[int]) -> set[tuple]:
    return {(s, r) for s, r in conn.execute(
        select(unit_status.c.segment_id, unit_status.c.rater_id)
        .join(segment, segment.c.id == unit_status.c.segment_id)
        .where(segment.c.transcript_id == transcript_id, unit_status.c.rater_id.in_(rater_ids)))}


def add_decision(conn: Connection, *, transcript_id: int, segment_id: int | None, code_key: str,
                 decided_by: int | None, from_raters: dict, outcome: dict,
                 reason: str | None) -> int:
    return conn.execute(insert(consensus_decision).values(
        transcript_id=transcript_id, segment_id=segment_id, code_key=code_key,
        decided_by=decided_by, decided_at=now(), from_raters=json.dumps(from_raters),
        outcome=json.dumps(outcome), reason=reason)).inserted_primary_key[0]


def drop_decisions(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(delete(consensus_decision).where(consensus_decision.c.id.in_(ids)))


def decisions(conn: Connection, transcript_ids: list[int] | None = None) -> list[dict]:
    """The audit trail, oldest first, with the decider's name."""
    q = (select(consensus_decision, rater.c.name.label("decided_by_name"))
         .outerjoin(rater, rater.c.id == consensus_decision.c.decided_by)
         .order_by(consensus_decision.c.id))
    if transcript_ids is not None:
        q = q.where(consensus_decision.c.transcript_id.in_(transcript_ids))
    out = []
    for r in conn.execute(q).mappings():
        d = dict(r)
        d["from_raters"] = json.loads(d["from_raters"])
        d["outcome"] = json.loads(d["outcome"])
        out.append(d)
    return out


def all_raters(conn: Connection) -> list[tuple[int, str]]:
    return [(r[0], r[1]) for r in conn.execute(select(rater.c.id, rater.c.name))]


def unit_positions(conn: Connection) -> dict[int, tuple[str, int]]:
    """segment id -> (kind, position) for the units that carry a consensus decision."""
    ids = select(consensus_decision.c.segment_id)
    return {r[0]: (r[1], r[2]) for r in conn.execute(
        select(segment.c.id, segment.c.kind, segment.c.position).where(segment.c.id.in_(ids)))}
