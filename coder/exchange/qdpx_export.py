"""Export a project as a REFI-QDA project (``.qdpx``) for NVivo, ATLAS.ti, MAXQDA, QualCoder.

The zip holds ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``) and one plain-text
file per transcript under ``sources/``. Users are the raters (the consensus layer too, under
its own name); the codebook is the project's current one (as in our .qdc export, our
details ride in each code's description); each coding is a ``PlainTextSelection`` over its
unit (or its span inside the unit) whose ``Coding`` names the rater as ``creatingUser``.
REFI-QDA has no ratings or session globals: a rating's value and a global (a selection over
the whole text) are kept in the selection's description as a ``[session-coder] {...}``
record, which our import reads back; other programs show it as text.

GUIDs are stable: derived from the project's uuid and the thing's identity, so exporting
twice gives the same ids.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from ..store import Connection

from .. import __version__
from ..atomic import write_atomic
from ..codebook.qdc import code_guid, export_qdc
from ..codebook.qdc_text import BLOCK_PREFIX
from ..codebook.qdc import NS as QDC_NS
from ..errors import SessionCoderError
from ..store import codebooks as cb_store
from ..store import package_io as io
from ..store import qdpx as store
from ..store import transcripts as trows
from .layout import source_text, unit_ranges

NS = "urn:QDA-XML:project:1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"
KINDS = ("turn", "sentence", "window")
#: The User id that marks our consensus layer, so an import puts it back as the layer.
CONSENSUS_USER_ID = "session-coder:consensus"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _guid(base: uuid.UUID, *parts) -> str:
    return str(uuid.uuid5(base, "/".join(str(p) for p in parts))).upper()


def _stamp(text: str | None) -> str:
    if not text:
        return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    d = datetime.fromisoformat(text)
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _codebook(parent: ET.Element, book) -> None:
    """Our .qdc codebook, moved into the project namespace."""
    root = ET.fromstring(export_qdc(book))
    codes = root.find(f"{{{QDC_NS}}}Codes")
    for el in codes.iter():
        el.tag = el.tag.replace(f"{{{QDC_NS}}}", f"{{{NS}}}")
    book_el = ET.SubElement(parent, _q("CodeBook"))
    book_el.append(codes)


def build_qde(conn: Connection) -> tuple[bytes, dict[str, str], dict]:
    """(project.qde bytes, {file name in sources/: text}, counts)."""
    book = cb_store.load_version(conn)
    if book is None:
        raise SessionCoderError("this project has no codebook yet: nothing to exchange")
    base = uuid.UUID(io.meta_value(conn, "project_uuid"))
    raters = store.raters(conn)
    user = {r["id"]: _guid(base, "rater", r["id"]) for r in raters}
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    now = _stamp(None)
    root = ET.Element(_q("Project"), {
        f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
        "name": io.meta_value(conn, "project_name") or "Session Coder project",
        "origin": f"Session Coder {__version__}", "creationDateTime": now})
    users = ET.SubElement(root, _q("Users"))
    for r in raters:
        ET.SubElement(users, _q("User"), {
            "guid": user[r["id"]], "name": r["name"],
            "id": CONSENSUS_USER_ID if r["role"] == "consensus" else r["initials"]})
    _codebook(root, book)
    sources = ET.SubElement(root, _q("Sources"))
    files: dict[str, str] = {}
    n_sel = skipped = 0
    known = set(book.code_ids())
    for info in trows.list_infos(conn):
        turns = trows.turns_of(conn, info.id)
        text, starts = source_text(turns)
        units = [u for k in KINDS for u in trows.segments_of(conn, info.id, k)]
        ranges = unit_ranges(units, turns, starts)
        sguid = _guid(base, "source", info.sha256)
        fname = f"{sguid}.txt"
        files[fname] = text
        src = ET.SubElement(sources, _q("TextSource"), {
            "guid": sguid, "name": info.name, "plainTextPath": f"internal://{fname}",
            "creationDateTime": _stamp(info.imported_at)})
        for c in store.codings_of(conn, info.id):
            if c["key"] not in known:          # a code no longer in the codebook
                skipped += 1
                continue
            if c["segment_id"] is None:
                start, end = 0, len(text)
            else:
                start, end = ranges[c["segment_id"]]
                if c["span_start"] is not None:
                    start, end = start + c["span_start"], start + c["span_end"]
            record = {}
            if c["segment_id"] is None:
                record["global"] = True
            if c["value"] is not None:
                record["value"] = c["value"]
            if c["note"]:
                record["note"] = c["note"]
            attrs = {"guid": _guid(base, "coding", c["id"]), "name": text[start:end][:30],
                     "startPosition": str(start), "endPosition": str(end),
                     "creatingUser": user[c["rater_id"]],
                     "creationDateTime": _stamp(c["created_at"])}
            sel = ET.SubElement(src, _q("PlainTextSelection"), attrs)
            if record:
                desc = ET.SubElement(sel, _q("Description"))
                desc.text = BLOCK_PREFIX + json.dumps(record, sort_keys=True)
            cod = ET.SubElement(sel, _q("Coding"), {
                "guid": _guid(base, "coding-ref", c["id"]), "creatingUser": user[c["rater_id"]],
                "creationDateTime": _stamp(c["created_at"])})
            ET.SubElement(cod, _q("CodeRef"), {"targetGUID": code_guid(book.id, c["key"])})
            n_sel += 1
    ET.indent(root, space="  ")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    return data, files, {"sources": len(files), "selections": n_sel, "users": len(raters),
                         "skipped": skipped}


def export_qdpx(conn: Connection, target: str | Path) -> dict:
    """Write the .qdpx (atomically); returns counts."""
    qde, files, counts = build_qde(conn)
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        for name, text in files.items():
            z.writestr(f"sources/{name}", text.encode("utf-8"))
    write_atomic(target, buf.getvalue())
    return counts
