"""REFI-QDA codebook exchange (``.qdc``, Codebook schema 1.0): export and import.

Export: groups become non-codable ``<Code>`` elements, codes codable ones with their colour.
The schema has nowhere else to put our fields, so a code's ``<Description>`` holds readable
text (the definition, then "Use when:", "Not when:" and "Examples:" sections) and, on its last
line, a ``[session-coder] {...}`` JSON record with the id, kind, scale, roles, shortcut and the
rest. Other programs show that as text; our import reads it back, so ours -> .qdc -> ours keeps
everything but the codebook's own name, version, description and citations (the schema has
no place for them). GUIDs are stable: uuid5 of the codebook id and the code id.

Import of a .qdc from elsewhere: every code becomes a presence code with an id made from its
name; the notes returned say what had to be assumed.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from typing import Any

from coder.version import __version__
from coder.codebook.model import Code, Codebook, CodeGroup, Scale

NS = "urn:QDA-XML:codebook:1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:session-coder:codebook")
from coder.codebook.qdc_text import BLOCK_PREFIX


def code_guid(codebook_id: str, item_id: str) -> str:
    """The stable GUID of a code or group of a codebook in .qdc files."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{codebook_id}/{item_id}")).upper()


# -- export -----------------------------------------------------------------------------


def _code_block(code: Code) -> dict[str, Any]:
    block: dict[str, Any] = {"id": code.id, "kind": code.kind}
    if code.scale is not None:
        block["scale"] = {"min": code.scale.min, "max": code.scale.max,
                          "labels": {str(p): lab for p, lab in code.scale.labels}}
        if code.scale.missing:
            block["scale"]["missing"] = list(code.scale.missing)
    if code.unit != "segment":
        block["unit"] = code.unit
    if code.roles != ("any",):
        block["roles"] = list(code.roles)
    for name in ("item", "aspect", "shortcut"):
        if getattr(code, name) is not None:
            block[name] = getattr(code, name)
    if code.markers:
        block["markers"] = list(code.markers)
    if code.archived:
        block["archived"] = True
    return block


def describe_code(code: Code) -> str:
    """The Description text of a code in a .qdc file."""
    parts = [code.definition]
    if code.use_when:
        parts.append(f"Use when: {code.use_when}")
    if code.not_when:
        parts.append(f"Not when: {code.not_when}")
    if code.examples:
        parts.append("Examples:\n" + "\n".join(f"- {e}" for e in code.examples))
    parts.append(BLOCK_PREFIX + json.dumps(_code_block(code), ensure_ascii=False))
    return "\n\n".join(parts)


def _describe_group(group: CodeGroup) -> str:
    block: dict[str, Any] = {"id": group.id}
    if group.category_set:
        block["category_set"] = True
    if group.counts_as:
        block["counts_as"] = group.counts_as
    text = BLOCK_PREFIX + json.dumps(block, ensure_ascii=False)
    return f"{group.description}\n\n{text}" if group.description else text


# characters XML 1.0 cannot hold at all (control characters other than tab and newlines)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _element(parent: ET.Element, guid: str, name: str, codable: bool, color: str | None,
             description: str) -> ET.Element:
    name, description = _xml(name), _xml(description)
    attrs = {"guid": guid, "name": name, "isCodable": "true" if codable else "false"}
    if color is not None:
        attrs["color"] = color
    el = ET.SubElement(parent, f"{{{NS}}}Code", attrs)
    ET.SubElement(el, f"{{{NS}}}Description").text = description
    return el


def _export_group(parent: ET.Element, cb: Codebook, group: CodeGroup) -> None:
    el = _element(parent, code_guid(cb.id, group.id), group.label, False, None,
                  _describe_group(group))
    for code in group.codes:
        _element(el, code_guid(cb.id, code.id), code.label, True, code.color,
                 describe_code(code))
    for sub in group.groups:
        _export_group(el, cb, sub)


def export_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA Codebook 1.0 document (UTF-8 bytes)."""
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", XSI)
    root = ET.Element(f"{{{NS}}}CodeBook", {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
                                           "origin": f"Session Coder {__version__}"})
    codes = ET.SubElement(root, f"{{{NS}}}Codes")
    for group in codebook.groups:
        _export_group(codes, codebook, group)
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


__all__ = [
    "code_guid",
    "describe_code",
    "export_qdc",
]
