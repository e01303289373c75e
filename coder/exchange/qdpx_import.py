"""Import codings from a REFI-QDA project onto our units, as one undoable command.

Sources are matched to our transcripts by name (or file stem); a source we do not have is
imported as a new plain-text transcript first. Codes are matched by our stable GUID, then by
label, then by id; users become raters by name (new raters are made). Each selection is laid
onto the transcript's units (its default unit kind): inside one unit it codes that unit (a
presence code keeps the selected part as its span); spanning several units it codes each,
and the report says so; outside every unit, or with a code we do not have, it is not
mapped and the report says why. Our own ``[session-coder]`` records bring back ratings,
session globals and notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..store import Connection

from ..codebook.qdc import code_guid
from ..codebook.qdc_import import slugify
from ..commands import ChangeSet
from ..store import codebooks as cb_store
from ..store import codings as cstore
from ..store import consensus as cons_store
from ..store import qdpx as store
from ..store import transcripts as trows
from .layout import align, unit_ranges
from .qdpx_read import QdpxProject, Source


@dataclass
class QdpxPlan:
    rows: list[dict] = field(default_factory=list)       # codings to insert (rater by name)
    new_raters: list[str] = field(default_factory=list)
    not_mapped: list[str] = field(default_factory=list)
    spanning: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped_existing: int = 0
    transcripts: set = field(default_factory=set)

    def report(self) -> list[str]:
        lines = [f"{len(self.rows)} coding(s) to add"
                 + (f", {self.skipped_existing} already present" if self.skipped_existing
                    else "")
                 + (f"; new rater(s): {', '.join(self.new_raters)}" if self.new_raters else "")]
        lines += self.notes
        lines += [f"spans units: {s}" for s in self.spanning]
        lines += [f"not mapped: {s}" for s in self.not_mapped]
        return lines


def match_source(conn: Connection, source: Source) -> int | None:
    infos = trows.list_infos(conn)
    for info in infos:
        if info.name == source.name:
            return info.id
    stem = source.name.rsplit(".", 1)[0]
    hits = [i.id for i in infos if i.name.rsplit(".", 1)[0] == stem]
    return hits[0] if len(hits) == 1 else None


def _code_map(conn: Connection, proj: QdpxProject) -> dict[str, tuple[str, str]]:
    """Their code GUID -> (our code id, kind)."""
    book = cb_store.load_version(conn)
    ours = [e.code for e in book.codes()] if book else []
    out = {}
    for guid, name in proj.codes.items():
        hit = next((c for c in ours if code_guid(book.id, c.id) == guid), None)
        hit = hit or next((c for c in ours if c.label.casefold() == name.casefold()), None)
        hit = hit or next((c for c in ours if c.id == slugify(name)), None)
        if hit is not None:
            out[guid] = (hit.id, hit.kind)
    return out


def _inside(text: str, s: int, e: int) -> tuple[int, int]:
    """The selection without surrounding whitespace."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def plan_qdpx(conn: Connection, proj: QdpxProject, sources: dict[str, int]) -> QdpxPlan:
    """Lay `proj`'s selections onto our units; `sources`: source GUID -> transcript id."""
    plan = QdpxPlan()
    codes = _code_map(conn, proj)
    raters = {r["name"].casefold(): r for r in store.raters(conn)}
    seen: set[tuple] = set()
    for src in proj.sources:
        tid = sources.get(src.guid)
        if tid is None:
            if src.selections:
                plan.not_mapped.append(f"source '{src.name}' ({len(src.selections)} "
                                       f"selection(s)): no matching transcript")
            continue
        info = trows.list_infos(conn, tid)[0]
        turns = trows.turns_of(conn, tid)
        units = trows.segments_of(conn, tid, info.unit)
        starts = align(src.text, turns)
        if len(starts) < len(turns):
            plan.notes.append(f"'{src.name}': {len(turns) - len(starts)} of {len(turns)} "
                              f"turns not found in the source text")
        ranges = unit_ranges(units, turns, starts)
        by_id = {u.id: u for u in units}
        for sel in src.selections:
            where = f"'{src.name}' {sel.start}-{sel.end} " \
                    f"'{src.text[sel.start:sel.end][:30]}'"
            if sel.code not in codes:
                name = proj.codes.get(sel.code, sel.code)
                plan.not_mapped.append(f"{where}: code '{name}' is not in this codebook")
                continue
            key, kind = codes[sel.code]
            rater = proj.users.get(sel.user or "", "Unknown user")
            if sel.user in proj.consensus_users:
                rater = CONSENSUS
            elif rater.casefold() not in raters and rater not in plan.new_raters:
                plan.new_raters.append(rater)
            rec = sel.record or {}
            value = rec.get("value")
            if kind in ("rating", "global") and value is None:
                plan.not_mapped.append(f"{where}: '{key}' is a rating and the selection "
                                       f"carries no value")
                continue
            if rec.get("global") or kind == "global":
                targets = [(None, None)]
            else:
                s, e = _inside(src.text, sel.start, sel.end)     # for finding units only
                hit = [uid for uid, (us, ue) in ranges.items() if max(s, us) < min(e, ue)]
                if not hit:
                    plan.not_mapped.append(f"{where}: lies outside every {info.unit}")
                    continue
                if len(hit) > 1:
                    plan.spanning.append(f"{where}: applied to {len(hit)} {info.unit}s")
                targets = []
                for uid in sorted(hit, key=lambda u: by_id[u].position):
                    us, ue = ranges[uid]
                    span = None
                    if len(hit) == 1 and kind == "presence" and (s > us or e < ue):
                        span = (max(sel.start, us) - us, min(sel.end, ue) - us)
                    targets.append((uid, span))
            for uid, span in targets:
                k = (rater.casefold(), tid, uid, key)
                if k in seen:
                    continue
                seen.add(k)
                existing = (raters.get(rater.casefold()) if rater != CONSENSUS else
                            next((r for r in raters.values() if r["role"] == "consensus"),
                                 None))
                if existing is not None and store_has(conn, existing["id"], key, uid, tid):
                    plan.skipped_existing += 1
                    continue
                plan.rows.append({"rater": rater, "transcript_id": tid, "segment_id": uid,
                                  "code": key, "value": value,
                                  "span": span, "note": rec.get("note")})
                plan.transcripts.add(tid)
    if any(r["rater"] == CONSENSUS for r in plan.rows):
        plan.notes.append("the consensus layer's codings came back as the consensus layer "
                          "(its audit trail does not travel in .qdpx)")
    return plan


def store_has(conn: Connection, rater_id: int, key: str, segment_id, transcript_id) -> bool:
    cid = cstore.code_key_id(conn, key)
    return cid is not None and cstore.find_coding(conn, rater_id, cid, segment_id,
                                                  transcript_id) is not None


#: Stands for the consensus layer in a plan (never a real rater's name: it has a newline).
CONSENSUS = "\nconsensus"


class ImportQdpxCodings:
    """Add the planned codings (and raters); with `complete`, mark every unit of each
    transcript completed by each rater who coded it there (absent codes then count as
    'not applied', as in ``codings import --complete``)."""

    def __init__(self, plan: QdpxPlan, complete: bool = False) -> None:
        self.plan, self.complete = plan, complete
        self.text = f"Import {len(plan.rows)} REFI-QDA coding(s)"
        self._raters: list[int] = []
        self._inserted: list[int] = []
        self._marked: list[tuple[list[int], int]] = []

    def apply(self, conn: Connection) -> ChangeSet:
        ids = {r["name"].casefold(): r["id"] for r in store.raters(conn)}
        if any(p["rater"] == CONSENSUS for p in self.plan.rows):
            cons = cons_store.consensus_rater(conn)
            if cons is None:
                cons = cons_store.add_consensus_rater(conn)
                self._raters.append(cons)
            ids[CONSENSUS] = cons
        for name in self.plan.new_raters:
            if name.casefold() not in ids:
                initials = "".join(w[0] for w in name.split()[:3]).upper() or "R"
                r = cstore.add_rater(conn, name, initials, "rater")
                ids[name.casefold()] = r.id
                self._raters.append(r.id)
        version = cb_store.latest_version(conn)
        rows = []
        for p in self.plan.rows:
            span = p["span"] or (None, None)
            rows.append({"transcript_id": p["transcript_id"], "segment_id": p["segment_id"],
                         "rater_id": ids[p["rater"].casefold()],
                         "code_id": cstore.code_key_id(conn, p["code"]), "value": p["value"],
                         "span_start": span[0], "span_end": span[1], "note": p["note"],
                         "codebook_version": version, "created_at": cstore.now()})
        self._inserted = cstore.insert_codings(conn, rows)
        segs = frozenset(p["segment_id"] for p in self.plan.rows if p["segment_id"])
        if self.complete:
            for tid in self.plan.transcripts:
                info = trows.list_infos(conn, tid)[0]
                units = [u.id for u in trows.segments_of(conn, tid, info.unit)]
                for rid in {r["rater_id"] for r in rows if r["transcript_id"] == tid}:
                    self._marked.append((cstore.mark_completed(conn, units, rid), rid))
        return ChangeSet(segments=segs, codes=frozenset(p["code"] for p in self.plan.rows),
                         raters=frozenset(ids[p["rater"].casefold()] for p in self.plan.rows),
                         transcripts=frozenset(self.plan.transcripts))

    def revert(self, conn: Connection) -> ChangeSet:
        cstore.delete_ids(conn, self._inserted)
        for units, rid in self._marked:
            cstore.unmark_completed(conn, units, rid)
        store.drop_raters(conn, self._raters)
        self._raters, self._inserted, self._marked = [], [], []
        return ChangeSet(segments=frozenset(p["segment_id"] for p in self.plan.rows
                                            if p["segment_id"]),
                         transcripts=frozenset(self.plan.transcripts))
