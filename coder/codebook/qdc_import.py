"""Import a REFI-QDA ``.qdc`` codebook (or the codebook inside a project's ``.qde`` XML).

What .qdc cannot express is assumed and said in the returned notes: codes from other programs
become presence codes with ids made from their names, no scales, roles or shortcuts; colours
are kept. Codes we exported ourselves carry a ``[session-coder]`` record and come back whole.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import PurePath
from typing import Any

from coder.codebook.model import COUNTS_AS, Code, Codebook, CodeGroup
from coder.codebook.problems import CodebookError, Problem
from coder.codebook.qdc_text import code_from_block, parse_sections, split_description
from coder.codebook.validate import COLOR, check_codebook, is_slug


def slugify(name: str, fallback: str = "code") -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not slug:
        return fallback
    return slug if slug[0].isalpha() else f"{fallback}_{slug}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _codable(el: ET.Element) -> bool:
    return el.get("isCodable", "true").strip().lower() in ("true", "1")


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


class _Importer:
    def __init__(self, use_records: bool) -> None:
        self.use_records = use_records
        self.used: set[str] = set()
        self.notes: list[str] = []
        self.records = 0          # elements that carried our record
        self.renamed: list[tuple[str, str]] = []
        self.no_definition: list[str] = []

    def new_id(self, wanted: object, name: str, fallback: str) -> str:
        if self.use_records and is_slug(wanted) and wanted not in self.used:
            self.used.add(wanted)  # type: ignore[arg-type]
            return wanted  # type: ignore[return-value]
        base = slugify(name, fallback)
        cid, n = base, 2
        while cid in self.used:
            cid, n = f"{base}_{n}", n + 1
        self.used.add(cid)
        self.renamed.append((name, cid))
        return cid

    def describe(self, el: ET.Element) -> tuple[str, dict[str, Any] | None]:
        desc = _children(el, "Description")
        text = (desc[0].text or "") if desc else ""
        readable, block, note = split_description(text)
        if note:
            self.notes.append(f"'{el.get('name', '')}': {note}")
        if block is not None and self.use_records:
            self.records += 1
            return readable, block
        return readable, None

    def code(self, el: ET.Element) -> Code:
        name = el.get("name") or "Unnamed code"
        readable, block = self.describe(el)
        fields = parse_sections(readable)
        if block is not None:
            fields = code_from_block(block, fields)
        if not fields["definition"]:
            self.no_definition.append(name)
        color = el.get("color")
        if color and re.fullmatch(r"#[0-9A-Fa-f]{3}", color):
            color = "#" + "".join(ch * 2 for ch in color[1:])
        if color is not None and not COLOR.fullmatch(color):
            self.notes.append(f"code '{name}': colour '{color}' is not #RRGGBB and was dropped")
            color = None
        cid = self.new_id(block.get("id") if block else None, name, "code")
        return Code(id=cid, label=name, color=color, **fields)

    def group(self, el: ET.Element, name: str | None = None) -> CodeGroup:
        label = name or el.get("name") or "Unnamed group"
        readable, block = self.describe(el)
        gid = self.new_id(block.get("id") if block else None, label, "group")
        codes: list[Code] = []
        groups: list[CodeGroup] = []
        if name is None and _codable(el):
            codes.append(self.code(el))
            self.notes.append(f"code '{label}' has sub-codes; Session Coder codes cannot nest, "
                              "so it and its sub-codes were put in a group of the same name")
        for child in _children(el, "Code"):
            if _codable(child) and not _children(child, "Code"):
                codes.append(self.code(child))
            else:
                groups.append(self.group(child))
        category_set = bool(block and block.get("category_set") is True)
        counts_as = block.get("counts_as") if block else None
        if counts_as not in COUNTS_AS:
            counts_as = None
        return CodeGroup(id=gid, label=label, description=readable, category_set=category_set,
                         codes=tuple(codes), groups=tuple(groups), counts_as=counts_as)

    def top(self, codes_el: ET.Element) -> list[CodeGroup]:
        children = _children(codes_el, "Code")
        loose = [c for c in children if _codable(c) and not _children(c, "Code")]
        groups: list[CodeGroup] = []
        if loose:
            holder = ET.Element("Code", {"name": "Codes", "isCodable": "false"})
            holder.extend(loose)
            groups.append(self.group(holder))
            self.notes.append(f"{len(loose)} top-level code(s) were put in a group 'Codes' "
                              "(in Session Coder every code sits in a group)")
        groups += [self.group(c) for c in children if c not in loose]
        return groups


def _codes_element(root: ET.Element, file: str) -> ET.Element:
    if _local(root.tag) == "Project":
        books = _children(root, "CodeBook")
        root = books[0] if books else root
    codes = _children(root, "Codes")
    if _local(root.tag) != "CodeBook" or not codes:
        raise CodebookError([Problem(file, None, None, "not a REFI-QDA codebook: expected "
                                     "<CodeBook><Codes>...</Codes></CodeBook>")])
    return codes[0]


def _build(codes_el: ET.Element, file: str, name: str | None, use_records: bool
           ) -> tuple[Codebook, _Importer]:
    imp = _Importer(use_records)
    groups = imp.top(codes_el)
    stem = PurePath(file).stem or "imported"
    cb = Codebook(id=slugify(stem, "codebook"), name=name or stem, version=1,
                  groups=tuple(groups))
    return cb, imp


def import_qdc(data: bytes, file: str, *, name: str | None = None
               ) -> tuple[Codebook, list[str]]:
    """A codebook from .qdc bytes and notes on what had to be assumed or was left out.

    Raises :class:`CodebookError` when the data is not a readable REFI-QDA codebook. The
    codebook may lack definitions (the notes say which): add them before coding.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        line, column = err.position
        message = re.sub(r": line \d+, column \d+$", "", str(err))
        raise CodebookError([Problem(file, line, column + 1, f"not valid XML: {message}")]) \
            from None
    except LookupError as err:          # the XML declaration names an unknown encoding
        raise CodebookError([Problem(file, 1, 1, f"not valid XML: {err}")]) from None
    codes_el = _codes_element(root, file)
    cb, imp = _build(codes_el, file, name, use_records=True)
    problems = [p for p in check_codebook(cb) if "'definition' must not be empty" not in p.message]
    if problems and imp.records:
        first = problems[0].message
        cb, imp = _build(codes_el, file, name, use_records=False)
        imp.notes.insert(0, f"Session Coder details in the descriptions did not fit together "
                            f"({first}) and were ignored")
        problems = [p for p in check_codebook(cb)
                    if "'definition' must not be empty" not in p.message]
    if problems:
        raise CodebookError([Problem(file, None, None, p.message) for p in problems])

    notes = list(imp.notes)
    if not imp.records:
        n = sum(1 for _ in cb.codes())
        notes.insert(0, f"{n} code(s) imported as presence codes: .qdc has no kinds, scales, "
                        "roles, units or shortcuts; set them in the codebook editor")
        if imp.renamed:
            a, b = imp.renamed[0]
            notes.insert(1, f"ids were made from names (e.g. '{a}' -> '{b}')")
    notes.append(f"the codebook's name was taken from the file name ('{cb.name}'); .qdc has "
                 "no place for a name, version, description or citations" if name is None
                 else ".qdc has no place for a codebook version, description or citations")
    if imp.no_definition:
        shown = ", ".join(f"'{n}'" for n in imp.no_definition[:5])
        more = f" and {len(imp.no_definition) - 5} more" if len(imp.no_definition) > 5 else ""
        notes.append(f"no description, so no definition, for {shown}{more}: write one before "
                     "coding")
    if any(_local(el.tag) == "Sets" for el in root.iter()):
        notes.append("code sets (<Sets>) were not imported")
    return cb, notes
