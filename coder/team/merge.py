"""Merging a rater package back into its project, as one undoable command.

The check (:func:`plan_import`) refuses, with the reason, a package that does not belong
here: another project (project uuid), a package this project never exported, an unknown
rater, unknown or altered transcripts (file hash and unit digest), or a codebook that moved
on to a version whose codes this project does not have.

The merge is three-way, per natural key (unit and code; completed unit; unit note): base is
what the project recorded at export (or at the last import of the same package), "ours" is
the project now, "theirs" the package. Theirs is taken where only the rater changed a key;
where the project also changed it since (the supervisor edited the rater's rows), the key is
a conflict, listed for a decision — `resolution="theirs"` or `"ours"` — never overwritten
silently. After an import the record's base becomes the package's state, so importing the
same package again changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..store import Connection

from ..commands import ChangeSet
from ..store import codebooks as cb_store
from ..store import codings as cstore
from ..store import package_io as io
from ..store.codings import now
from .packages import PackageError, PackageInfo, Passphrase, RaterPackage
from ..store import Store


@dataclass(frozen=True)
class Conflict:
    where: str            # "session03.txt turn 12, code 'warmth'"
    ours: str
    theirs: str

    def line(self) -> str:
        return f"{self.where}: project now {self.ours}, package {self.theirs}"


@dataclass
class MergePlan:
    info: PackageInfo
    rater_id: int
    codings: dict = field(default_factory=dict)     # key -> rows (list) or None (remove)
    done: dict = field(default_factory=dict)        # unit key -> True/False
    notes: dict = field(default_factory=dict)       # unit key -> text or None
    conflicts: list = field(default_factory=list)
    notes_out: list = field(default_factory=list)   # what the user should know (mapping, ...)
    new_base: dict = field(default_factory=dict)
    created: dict = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.codings or self.done or self.notes)

    def summary(self) -> str:
        n = len(self.codings), len(self.done), len(self.notes)
        if not any(n):
            return f"package of {self.info.rater_name}: nothing to change"
        return (f"package of {self.info.rater_name}: {n[0]} coding change(s), "
                f"{n[1]} unit status change(s), {n[2]} note change(s)")


def _package_contents(pkg: RaterPackage) -> tuple[dict, dict, int, dict]:
    db = Store.open(pkg.work_path, readonly=True)
    try:
        with db.read() as conn:
            tids = [t["id"] for t in pkg.info.transcripts]
            by_hash = io.transcripts_by_hash(conn)
            digests = {sha: io.unit_digest(conn, t["id"]) for sha, t in by_hash.items()}
            state = io.rater_state(conn, pkg.info.rater_id,
                                   [t["id"] for t in by_hash.values()])
            state["created"] = _created(conn, pkg.info.rater_id, tids)
            return state, digests, cb_store.latest_version(conn), io.code_kinds(conn)
    finally:
        db.dispose()


def _created(conn: Connection, rater_id: int, tids: list[int]) -> dict:
    """Earliest coding date per coding key (kept so drift by coding date survives a merge)."""
    out: dict = {}
    keys = io.unit_keys(conn, tids)
    by_seg = {sid: k for k, (sid, _) in keys.items()}
    shas = {tid: k.split("|")[0] for k, (_, tid) in keys.items()}
    for r in io.codings_for_rater(conn, rater_id):
        unit = by_seg.get(r["segment_id"]) if r["segment_id"] is not None else \
            f"{shas.get(r['transcript_id'])}||"
        key = f"{unit}|{r['key']}"
        out[key] = min(out.get(key, r["created_at"]), r["created_at"])
    return out


def _describe(key: str, names: dict[str, str]) -> str:
    parts = key.split("|")
    where = names.get(parts[0], parts[0][:12])
    where += f" {parts[1]} {parts[2]}" if parts[1] else " (session)"
    return where + (f", code '{parts[3]}'" if len(parts) > 3 else "")


def _show(value) -> str:
    if value is None:
        return "absent"
    if value is True:
        return "completed"
    if isinstance(value, list):
        return "; ".join("applied" if r[0] is None else f"value {r[0]:g}" for r in value) \
            + (" (with note)" if any(r[3] for r in value) else "")
    return repr(value)


def _three_way(base, ours, theirs, keys, put, conflict) -> None:
    for k in sorted(keys):
        b, o, t = base.get(k), ours.get(k), theirs.get(k)
        if t == b or o == t:
            continue
        if o == b:
            put(k, t)
        else:
            conflict(k, o, t)


def plan_import(db, package: str | Path, passphrase: Passphrase = None,
                resolution: str | None = None) -> MergePlan:
    """Check the package against the project (`db`: its Store) and work out the merge
    (reads only)."""
    pkg = RaterPackage.open(package, passphrase)
    try:
        info = pkg.info
        theirs, digests, pkg_version, pkg_kinds = _package_contents(pkg)
    finally:
        pkg.discard()
    where = Path(package).name
    with db.read() as conn:
        here = io.meta_value(conn, "project_uuid")
        if info.project_uuid != here:
            raise PackageError(f"{where}: belongs to project '{info.project_name}' "
                               f"({info.project_uuid}), not to this one")
        record = io.export_record(conn, info.package_uuid)
        if record is None:
            raise PackageError(f"{where}: this project never exported package "
                               f"{info.package_uuid}; it cannot be merged")
        rater = io.rater_row(conn, record["rater_id"])
        if rater is None or rater["id"] != info.rater_id or rater["name"] != info.rater_name:
            raise PackageError(f"{where}: made for rater {info.rater_name!r}, who is not a "
                               f"rater of this project (or was renamed)")
        known = io.transcripts_by_hash(conn)
        exported = {t["sha256"] for t in json.loads(record["manifest"])["transcripts"]}
        names = {}
        for t in info.transcripts:
            sha = t["sha256"]
            names[sha] = t["name"]
            if sha not in known or sha not in exported:
                raise PackageError(f"{where}: transcript {t['name']!r} is not in this project "
                                   f"(or not in the package this project exported)")
            if digests.get(sha) != io.unit_digest(conn, known[sha]["id"]):
                raise PackageError(f"{where}: transcript {t['name']!r} differs from this "
                                   f"project's copy (text or units altered)")
        if set(digests) - exported:
            raise PackageError(f"{where}: holds transcripts this project did not export to it")
        book = cb_store.load_version(conn, record["codebook_version"])
        if info.codebook_id != book.id or info.codebook_version != record["codebook_version"]:
            raise PackageError(f"{where}: its codebook ({info.codebook_id} version "
                               f"{info.codebook_version}) is not the one exported")
        plan = MergePlan(info, rater["id"])
        kinds = io.code_kinds(conn)
        used = {k.split("|")[3] for k in theirs["codings"]}
        unknown = sorted(k for k in used if kinds.get(k) is None or kinds[k] != pkg_kinds.get(k))
        if pkg_version > info.codebook_version:
            if unknown:
                raise PackageError(
                    f"{where}: the rater's codebook is version {pkg_version}, newer than version "
                    f"{info.codebook_version} it was exported with, and code(s) "
                    f"{', '.join(unknown)} cannot be mapped onto this project's codebook")
            plan.notes_out.append(f"the package's codebook version {pkg_version} was mapped "
                                  f"onto this project's codes by id")
        elif unknown:
            raise PackageError(f"{where}: code(s) {', '.join(unknown)} are not in this "
                               f"project's codebook")
        tids = [known[t["sha256"]]["id"] for t in info.transcripts]
        base = json.loads(record["baseline"])
        ours = io.rater_state(conn, rater["id"], tids)
    units = set(io_unit_keys(db, tids))
    bad = [k for k in theirs["done"] + list(theirs["notes"]) if k not in units]
    bad += [k for k in theirs["codings"] if "||" not in k and k.rsplit("|", 1)[0] not in units]
    if bad:
        raise PackageError(f"{where}: refers to units this project does not have "
                           f"({_describe(bad[0], names)})")

    def conflict(kind):
        def add(k, o, t):
            c = Conflict(_describe(k, names) + kind, _show(o), _show(t))
            if resolution == "theirs":
                target[kind][k] = t
            elif resolution != "ours":
                plan.conflicts.append(c)
        return add

    target = {"": plan.codings, " (completed)": plan.done, " (note)": plan.notes}
    _three_way(base["codings"], ours["codings"], theirs["codings"],
               set(base["codings"]) | set(ours["codings"]) | set(theirs["codings"]),
               plan.codings.__setitem__, conflict(""))
    as_set = lambda s: {k: True for k in s}       # noqa: E731
    _three_way(as_set(base["done"]), as_set(ours["done"]), as_set(theirs["done"]),
               set(base["done"]) | set(ours["done"]) | set(theirs["done"]),
               lambda k, v: plan.done.__setitem__(k, bool(v)), conflict(" (completed)"))
    _three_way(base["notes"], ours["notes"], theirs["notes"],
               set(base["notes"]) | set(ours["notes"]) | set(theirs["notes"]),
               plan.notes.__setitem__, conflict(" (note)"))
    plan.new_base = {k: theirs[k] for k in ("codings", "done", "notes")}
    plan.created = theirs.get("created", {})
    return plan


def io_unit_keys(db, tids: list[int]) -> dict:
    with db.read() as conn:
        return io.unit_keys(conn, tids)


class MergePackage:
    """Apply a checked merge plan: one undoable command."""

    def __init__(self, plan: MergePlan) -> None:
        if plan.conflicts:
            raise PackageError(f"{len(plan.conflicts)} conflict(s) need a decision first")
        self.plan = plan
        self.text = f"Merge package of {plan.info.rater_name}"
        self._inserted: list[int] = []
        self._deleted: list[dict] = []
        self._done_added: list[int] = []
        self._done_removed: list[int] = []
        self._notes_old: dict[int, str | None] = {}
        self._record_old: dict = {}
        self._segments: set[int] = set()
        self._event: int | None = None

    def apply(self, conn: Connection) -> ChangeSet:
        p, rid = self.plan, self.plan.rater_id
        tids = [t["id"] for t in io.transcripts_by_hash(conn).values()
                if t["sha256"] in {x["sha256"] for x in p.info.transcripts}]
        units = io.unit_keys(conn, tids)
        by_sha = {t["sha256"]: t["id"] for t in io.transcripts_by_hash(conn).values()}
        codes: set[str] = set()
        for key, rows in p.codings.items():
            sha, kind, pos, ckey = key.split("|")
            sid, tid = units[f"{sha}|{kind}|{pos}"] if kind else (None, by_sha[sha])
            old = io.codings_at(conn, rid, sid, tid, ckey)
            cstore.delete_ids(conn, [r["id"] for r in old])
            self._deleted += old
            cid = io.code_id(conn, ckey)
            self._inserted += cstore.insert_codings(conn, [
                {"transcript_id": tid, "segment_id": sid, "rater_id": rid, "code_id": cid,
                 "value": r[0], "span_start": r[1], "span_end": r[2], "note": r[3],
                 "codebook_version": p.info.codebook_version,
                 "created_at": p.created.get(key) or now()} for r in rows or []])
            codes.add(ckey)
            if sid is not None:
                self._segments.add(sid)
        for key, on in p.done.items():
            sid = units[key][0]
            self._segments.add(sid)
            if on:
                self._done_added += cstore.mark_completed(conn, [sid], rid)
            elif cstore.completed(conn, [sid], rid):
                cstore.unmark_completed(conn, [sid], rid)
                self._done_removed.append(sid)
        for key, text in p.notes.items():
            sid = units[key][0]
            self._segments.add(sid)
            self._notes_old[sid] = cstore.segment_notes(conn, [sid], rid).get(sid)
            cstore.set_segment_note(conn, sid, rid, text)
        record = io.export_record(conn, p.info.package_uuid)
        self._record_old = {k: record[k] for k in ("baseline", "imported_at", "import_summary")}
        io.set_imported(conn, p.info.package_uuid, now(), p.summary())
        io.set_baseline(conn, p.info.package_uuid, p.new_base)
        self._event = io.log_event(conn, "package_import",
                                   f"package {p.info.package_uuid} of {p.info.rater_name}: "
                                   f"{p.summary()}")
        return ChangeSet(segments=frozenset(self._segments), codes=frozenset(codes),
                         raters=frozenset({rid}), transcripts=frozenset(tids))

    def revert(self, conn: Connection) -> ChangeSet:
        rid = self.plan.rater_id
        cstore.delete_ids(conn, self._inserted)
        cstore.restore_rows(conn, self._deleted)
        cstore.unmark_completed(conn, self._done_added, rid)
        cstore.mark_completed(conn, self._done_removed, rid)
        for sid, text in self._notes_old.items():
            cstore.set_segment_note(conn, sid, rid, text)
        io.set_imported(conn, self.plan.info.package_uuid, self._record_old["imported_at"],
                        self._record_old["import_summary"])
        io.set_baseline(conn, self.plan.info.package_uuid,
                        json.loads(self._record_old["baseline"]))
        if self._event is not None:
            io.drop_event(conn, self._event)
        self._inserted, self._deleted, self._done_added, self._done_removed = [], [], [], []
        self._notes_old, self._event = {}, None
        return ChangeSet(segments=frozenset(self._segments), raters=frozenset({rid}))
