"""Read a REFI-QDA project (``.qdpx`` zip, or a bare ``.qde``) into plain values.

Only what we can use is read: users, codes (any depth; GUID and name), text sources with
their plain text (``plainTextPath`` inside the zip, or ``PlainTextContent``) and their plain
text selections with codings. Everything else (pictures, audio, PDF, cases, variables,
notes, sets) is counted so the import report can say it was left out.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook.qdc_text import BLOCK_PREFIX
from ..errors import InputError
from ..importers.ziputil import check_members

MAX_QDPX_BYTES = 200_000_000     # project XML + text sources read; each part at most 50 MB

NS = "urn:QDA-XML:project:1.0"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


@dataclass(frozen=True)
class Selection:
    guid: str
    start: int
    end: int
    user: str | None                   # creatingUser GUID of the coding (or the selection)
    code: str                          # CodeRef targetGUID
    record: dict | None                # our [session-coder] record, if any


@dataclass
class Source:
    guid: str
    name: str
    text: str
    selections: list[Selection] = field(default_factory=list)


@dataclass
class QdpxProject:
    file: str
    name: str
    qde: bytes
    users: dict[str, str]              # GUID -> name
    consensus_users: set[str]          # GUIDs of users that are a Session Coder consensus layer
    codes: dict[str, str]              # GUID -> name (codable codes)
    sources: list[Source]
    left_out: dict[str, int]           # element kind -> count not imported


def _record(sel: ET.Element) -> dict | None:
    desc = sel.find(_q("Description"))
    text = (desc.text or "") if desc is not None else ""
    for line in text.splitlines():
        if line.startswith(BLOCK_PREFIX):
            try:
                value = json.loads(line[len(BLOCK_PREFIX):])
            except ValueError:
                return None
            return value if isinstance(value, dict) else None
    return None


def _guid(value: str | None) -> str | None:
    return None if value is None else value.strip("{}").upper()


def read_qdpx(path: str | Path) -> QdpxProject:
    path = Path(path)
    where = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    files: dict[str, bytes] = {}
    if raw[:2] == b"PK":
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
                qde_names = [n for n in names if n.lower().endswith(".qde")]
                if not qde_names:
                    raise InputError("no project.qde inside: not a REFI-QDA project",
                                     file=where)
                # Only the project XML and the text sources' plain text are read (media
                # never), and only after their sizes pass the zip-bomb checks.
                check_members([z.getinfo(qde_names[0])], where, "REFI-QDA project",
                              error=InputError, archive_size=len(raw))
                qde = z.read(qde_names[0])
                refs = {m.group(1).decode("utf-8", "replace") for m in re.finditer(
                    rb'plainTextPath="(?:internal://)?([^"]{1,1000})"', qde)}
                wanted = [n for n in names if n.lower().startswith("sources/")
                          and n.split("/", 1)[1] in refs]
                check_members([z.getinfo(n) for n in [qde_names[0], *wanted]], where,
                              "REFI-QDA project", limit=MAX_QDPX_BYTES, error=InputError,
                              archive_size=len(raw))
                for n in wanted:
                    files[n.split("/", 1)[1]] = z.read(n)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
                ValueError, RuntimeError, OSError, zlib.error):
            raise InputError("damaged zip file: not a readable .qdpx", file=where) from None
    else:
        qde = raw
    try:
        root = ET.fromstring(qde)
    except ET.ParseError as err:
        line, column = err.position
        raise InputError(f"not valid XML ({re.sub(r': line.*$', '', str(err))})",
                         file=f"{where}:project.qde", line=line, column=column + 1) from None
    if root.tag != _q("Project"):
        raise InputError("not a REFI-QDA project (root element is not "
                         "<Project xmlns='urn:QDA-XML:project:1.0'>)", file=where)
    users = {_guid(u.get("guid")): u.get("name") or u.get("id") or f"User {u.get('guid')[:8]}"
             for u in root.iter(_q("User")) if u.get("guid")}
    consensus = {_guid(u.get("guid")) for u in root.iter(_q("User"))
                 if u.get("guid") and u.get("id") == "session-coder:consensus"}
    codes = {_guid(c.get("guid")): c.get("name") or "Unnamed code"
             for c in root.iter(_q("Code"))
             if c.get("guid") and c.get("isCodable", "true").lower() in ("true", "1")}
    left_out: dict[str, int] = {}
    for kind in ("PictureSource", "PDFSource", "AudioSource", "VideoSource", "Case",
                 "Variable", "Note", "Set", "Graph", "Link"):
        n = sum(1 for _ in root.iter(_q(kind)))
        if n:
            left_out[kind] = n
    sources: list[Source] = []
    for src in root.iter(_q("TextSource")):
        guid = _guid(src.get("guid")) or ""
        name = src.get("name") or guid
        content = src.find(_q("PlainTextContent"))
        if content is not None and content.text is not None:
            text = content.text
        else:
            ref = (src.get("plainTextPath") or "").replace("internal://", "")
            data = files.get(ref)
            if data is None:
                raise InputError(f"text source '{name}': its plain text {ref or '(none)'} "
                                 f"is missing from the project", file=where)
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InputError(f"text source '{name}': {ref} is not UTF-8 text",
                                 file=where) from None
        source = Source(guid, name, text)
        for sel in src.findall(_q("PlainTextSelection")):
            try:
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
            except (TypeError, ValueError):
                raise InputError(f"selection {sel.get('guid')} in '{name}' has no valid "
                                 f"start/end position", file=where) from None
            for cod in sel.findall(_q("Coding")):
                ref = cod.find(_q("CodeRef"))
                if ref is None or not ref.get("targetGUID"):
                    continue
                source.selections.append(Selection(
                    _guid(sel.get("guid")) or "", start, end,
                    _guid(cod.get("creatingUser") or sel.get("creatingUser")),
                    _guid(ref.get("targetGUID")), _record(sel)))
        whole = src.findall(_q("Coding"))
        if whole:
            left_out["coding of a whole source"] = left_out.get(
                "coding of a whole source", 0) + len(whole)
        sources.append(source)
    return QdpxProject(where, root.get("name") or path.stem, qde, users, consensus, codes,
                       sources, left_out)
