"""How our fields travel inside a REFI-QDA code's ``<Description>``: readable sections, then
a ``[session-coder] {...}`` JSON record on the last line (written by :mod:`.qdc`, read back by
:mod:`.qdc_import`)."""

from __future__ import annotations

import json
import re
from typing import Any

from coder.codebook.model import Scale

BLOCK_PREFIX = "[session-coder] "
SECTIONS = {"Use when": "use_when", "Not when": "not_when", "Examples": "examples"}
SECTION_RE = re.compile(r"^(Use when|Not when|Examples):[ \t]*", re.MULTILINE)


def split_description(text: str) -> tuple[str, dict[str, Any] | None, str | None]:
    """(readable text, our JSON record or None, a note if the record was unreadable)."""
    lines = text.rstrip().split("\n")
    if not lines or not lines[-1].startswith(BLOCK_PREFIX):
        return text.strip(), None, None
    readable = "\n".join(lines[:-1]).strip()
    try:
        block = json.loads(lines[-1][len(BLOCK_PREFIX):])
    except ValueError:
        return readable, None, "an unreadable [session-coder] record was ignored"
    if not isinstance(block, dict):
        return readable, None, "an unreadable [session-coder] record was ignored"
    return readable, block, None


def parse_sections(text: str) -> dict[str, Any]:
    """definition / use_when / not_when / examples from a code's readable description."""
    out: dict[str, Any] = {"definition": "", "use_when": "", "not_when": "", "examples": ()}
    pieces = SECTION_RE.split(text)
    out["definition"] = pieces[0].strip()
    for header, body in zip(pieces[1::2], pieces[2::2]):
        field = SECTIONS[header]
        if field == "examples":
            items = [ln.strip()[2:].strip() if ln.strip().startswith("- ") else ln.strip()
                     for ln in body.strip().split("\n")]
            out["examples"] = tuple(i for i in items if i)
        else:
            out[field] = body.strip()
    return out


def code_from_block(block: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Our extra fields from a [session-coder] record, type-checked; ``base`` is updated."""
    fields = dict(base)
    for name in ("kind", "unit", "item", "aspect", "shortcut"):
        if isinstance(block.get(name), str):
            fields[name] = block[name]
    for name in ("roles", "markers"):
        value = block.get(name)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            fields[name] = tuple(value)
    if isinstance(block.get("archived"), bool):
        fields["archived"] = block["archived"]
    scale = block.get("scale")
    if isinstance(scale, dict) and isinstance(scale.get("min"), int) \
            and isinstance(scale.get("max"), int):
        labels = scale.get("labels") if isinstance(scale.get("labels"), dict) else {}
        fields["scale"] = Scale(scale["min"], scale["max"],
                                tuple((int(p), str(lab)) for p, lab in labels.items()
                                      if str(p).lstrip("-").isdigit()),
                                _tokens(scale.get("missing"), scale["min"], scale["max"]))
    return fields


def _tokens(value, low: int, high: int) -> tuple[str, ...]:
    """A scale's missing-value tokens from a record: texts, kept once, none on the scale."""
    out: list[str] = []
    for t in value if isinstance(value, list) else ():
        token = str(t).strip()
        try:
            on_scale = low <= float(token) <= high
        except ValueError:
            on_scale = False
        if token and token not in out and not on_scale:
            out.append(token)
    return tuple(out)
