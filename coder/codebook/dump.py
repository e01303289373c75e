"""Write a codebook as YAML in a fixed key order, so files diff nicely and
``parse_codebook(dump_codebook(cb)) == cb`` holds exactly.

Optional fields at their default value are left out; multi-line text is written as a literal
block; ``roles`` is written inline (``roles: [therapist]``).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from coder.codebook.model import Code, Codebook, CodeGroup, Scale

HEADER = "# Session Coder codebook. Format: see codebooks/README.md\n"


class _Inline(list):
    """A list written in flow style."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # indent lists under their key ("groups:\n  - id: ...") like hand-written YAML
        return super().increase_indent(flow, False)


# YAML reads these as line breaks; in plain, single-quoted or block text they would not come
# back as written, so such strings are double-quoted (where they are escaped).
_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _BREAKS.search(value):
        style: str | None = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _inline(dumper: yaml.SafeDumper, value: _Inline) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Inline, _inline)


def scale_to_dict(scale: Scale) -> dict[str, Any]:
    out: dict[str, Any] = {"min": scale.min, "max": scale.max}
    if scale.labels:
        out["labels"] = {point: label for point, label in scale.labels}
    if scale.missing:
        out["missing"] = _Inline(scale.missing)
    return out


def code_to_dict(code: Code) -> dict[str, Any]:
    out: dict[str, Any] = {"id": code.id, "label": code.label, "kind": code.kind,
                           "definition": code.definition}
    for name in ("use_when", "not_when"):
        if getattr(code, name):
            out[name] = getattr(code, name)
    if code.examples:
        out["examples"] = list(code.examples)
    if code.scale is not None:
        out["scale"] = scale_to_dict(code.scale)
    if code.unit != "segment":
        out["unit"] = code.unit
    if code.roles != ("any",):
        out["roles"] = _Inline(code.roles)
    for name in ("item", "aspect", "shortcut", "color"):
        if getattr(code, name) is not None:
            out[name] = getattr(code, name)
    if code.markers:
        out["markers"] = list(code.markers)
    if code.archived:
        out["archived"] = True
    return out


def group_to_dict(group: CodeGroup) -> dict[str, Any]:
    out: dict[str, Any] = {"id": group.id, "label": group.label}
    if group.description:
        out["description"] = group.description
    if group.category_set:
        out["category_set"] = True
    if group.counts_as:
        out["counts_as"] = group.counts_as
    if group.codes:
        out["codes"] = [code_to_dict(c) for c in group.codes]
    if group.groups:
        out["groups"] = [group_to_dict(g) for g in group.groups]
    return out


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    out: dict[str, Any] = {"id": codebook.id, "name": codebook.name,
                           "version": codebook.version}
    if codebook.description:
        out["description"] = codebook.description
    if codebook.citations:
        out["citations"] = list(codebook.citations)
    out["groups"] = [group_to_dict(g) for g in codebook.groups]
    return out


def dump_codebook(codebook: Codebook) -> str:
    body = yaml.dump(codebook_to_dict(codebook), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=96, indent=2, default_flow_style=False)
    return HEADER + body
