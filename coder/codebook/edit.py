"""Pure edits of a Codebook value: each returns a new Codebook (the old one is untouched).

The project turns an edited codebook into a new version through a command
(`coder.codebook_commands`); these functions only reshape the tree.
"""

from __future__ import annotations

from dataclasses import replace

from .model import Code, Codebook, CodeGroup


def _map_groups(groups: tuple[CodeGroup, ...], fn) -> tuple[CodeGroup, ...]:
    """Apply `fn(group) -> group` bottom-up over the whole tree."""
    return tuple(fn(replace(g, groups=_map_groups(g.groups, fn))) for g in groups)


def replace_code(cb: Codebook, code_id: str, new: Code) -> Codebook:
    """Put `new` where the code `code_id` is (the id may change only for a new code)."""
    cb.entry(code_id)   # KeyError when absent

    def fix(g: CodeGroup) -> CodeGroup:
        if any(c.id == code_id for c in g.codes):
            return replace(g, codes=tuple(new if c.id == code_id else c for c in g.codes))
        return g
    return replace(cb, groups=_map_groups(cb.groups, fix))


def update_code(cb: Codebook, code_id: str, **changes) -> Codebook:
    return replace_code(cb, code_id, replace(cb.code(code_id), **changes))


def remove_code(cb: Codebook, code_id: str) -> Codebook:
    cb.entry(code_id)
    return replace(cb, groups=_map_groups(
        cb.groups, lambda g: replace(g, codes=tuple(c for c in g.codes if c.id != code_id))))


def add_code(cb: Codebook, group_id: str, new: Code, index: int | None = None) -> Codebook:
    """Insert `new` into group `group_id` at `index` (default: at the end)."""
    cb.group(group_id)

    def fix(g: CodeGroup) -> CodeGroup:
        if g.id != group_id:
            return g
        codes = list(g.codes)
        codes.insert(len(codes) if index is None else max(0, min(index, len(codes))), new)
        return replace(g, codes=tuple(codes))
    return replace(cb, groups=_map_groups(cb.groups, fix))


def move_code(cb: Codebook, code_id: str, group_id: str, index: int | None = None) -> Codebook:
    """Move a code to another group (or another place in its own group)."""
    code = cb.code(code_id)
    entry = cb.entry(code_id)
    if entry.group.id == group_id and index is not None:
        old = [c.id for c in entry.group.codes].index(code_id)
        if index > old:
            index -= 1
    return add_code(remove_code(cb, code_id), group_id, code, index)


def update_group(cb: Codebook, group_id: str, **changes) -> Codebook:
    cb.group(group_id)
    return replace(cb, groups=_map_groups(
        cb.groups, lambda g: replace(g, **changes) if g.id == group_id else g))


def add_group(cb: Codebook, new: CodeGroup, parent_id: str | None = None) -> Codebook:
    if parent_id is None:
        return replace(cb, groups=cb.groups + (new,))
    cb.group(parent_id)
    return replace(cb, groups=_map_groups(
        cb.groups, lambda g: replace(g, groups=g.groups + (new,)) if g.id == parent_id else g))


def remove_group(cb: Codebook, group_id: str) -> Codebook:
    """Remove an empty group (ValueError when it still holds codes or groups)."""
    group = cb.group(group_id)
    if group.codes or group.groups:
        raise ValueError(f"group {group.label!r} is not empty")

    def strip(groups: tuple[CodeGroup, ...]) -> tuple[CodeGroup, ...]:
        return tuple(replace(g, groups=strip(g.groups)) for g in groups if g.id != group_id)
    return replace(cb, groups=strip(cb.groups))


def all_ids(cb: Codebook) -> set[str]:
    return {e.code.id for e in cb.codes()} | {g.id for _, g in cb.iter_groups()}


def new_id(cb: Codebook, label: str, taken: set[str] = frozenset()) -> str:
    """A fresh slug id from a label, unique in `cb` and not in `taken` (ids used before)."""
    import re
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "code"
    if not base[0].isalpha():
        base = "c_" + base
    base = base[:40].rstrip("_")
    used = all_ids(cb) | set(taken)
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    return candidate
