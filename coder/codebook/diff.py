"""What changed between two versions of a codebook, code by code (matched by stable id)."""

from __future__ import annotations

from dataclasses import dataclass

from coder.codebook.model import Code, Codebook, CodeEntry, Scale

RENAME_FIELDS = ("label",)
REDEFINE_FIELDS = ("definition", "use_when", "not_when", "examples")
CHANGE_FIELDS = ("kind", "scale", "unit", "roles", "item", "aspect", "shortcut", "color",
                 "markers", "archived", "group")
# changes after which existing codings of the code may no longer mean the same thing
INCOMPATIBLE_FIELDS = ("kind", "scale", "unit")
CODEBOOK_FIELDS = ("id", "name", "version", "description", "citations")
GROUP_FIELDS = ("label", "description", "category_set", "counts_as", "parent")


@dataclass(frozen=True)
class CodeChange:
    """One code present in both versions; ``fields`` names what changed (within one of the
    diff's lists). ``group`` stands for the group path (a move)."""

    id: str
    fields: tuple[str, ...]
    old: Code
    new: Code
    old_groups: tuple[str, ...]
    new_groups: tuple[str, ...]


@dataclass(frozen=True)
class CodebookDiff:
    added: tuple[CodeEntry, ...] = ()
    removed: tuple[CodeEntry, ...] = ()
    renamed: tuple[CodeChange, ...] = ()      # label changed
    redefined: tuple[CodeChange, ...] = ()    # definition, use_when, not_when or examples
    changed: tuple[CodeChange, ...] = ()      # kind, scale, shortcut, colour, roles, move, ...
    codebook_fields: tuple[str, ...] = ()     # name, version, description, citations, id
    groups_added: tuple[str, ...] = ()
    groups_removed: tuple[str, ...] = ()
    groups_changed: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any((self.added, self.removed, self.renamed, self.redefined, self.changed,
                        self.codebook_fields, self.groups_added, self.groups_removed,
                        self.groups_changed))

    def incompatible_codes(self) -> tuple[str, ...]:
        """Ids of removed codes and of codes whose kind, scale or unit changed: their old
        codings need review."""
        ids = [e.code.id for e in self.removed]
        ids += [c.id for c in self.changed if set(c.fields) & set(INCOMPATIBLE_FIELDS)]
        return tuple(ids)

    def describe(self) -> list[str]:
        """One human-readable line per change."""
        lines = [f"codebook {f} changed" for f in self.codebook_fields]
        lines += [f"added group '{g}'" for g in self.groups_added]
        lines += [f"removed group '{g}'" for g in self.groups_removed]
        lines += [f"changed group '{g}': {', '.join(fs)}" for g, fs in self.groups_changed]
        lines += [f"added code '{e.code.id}' ({e.code.label}, {e.code.kind}) in "
                  f"{'/'.join(e.group_ids)}" for e in self.added]
        lines += [f"removed code '{e.code.id}' ({e.code.label})" for e in self.removed]
        lines += [f"renamed code '{c.id}': '{c.old.label}' -> '{c.new.label}'"
                  for c in self.renamed]
        lines += [f"redefined code '{c.id}': {', '.join(c.fields)} changed"
                  for c in self.redefined]
        lines += [f"changed code '{c.id}': " + "; ".join(_describe_field(c, f) for f in c.fields)
                  for c in self.changed]
        return lines


def _show(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, Scale):
        text = f"{value.min}..{value.max}"
        return text + (" (labelled)" if value.labels else "")
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def _describe_field(change: CodeChange, field: str) -> str:
    if field == "group":
        return f"moved from {'/'.join(change.old_groups)} to {'/'.join(change.new_groups)}"
    if field == "archived":
        return "archived" if change.new.archived else "restored from the archive"
    if field == "markers":
        return "markers changed"
    old, new = getattr(change.old, field), getattr(change.new, field)
    if field == "scale" and isinstance(old, Scale) and isinstance(new, Scale) \
            and (old.min, old.max) == (new.min, new.max):
        return "scale labels changed"
    return f"{field} {_show(old)} -> {_show(new)}"


def _value(entry: CodeEntry, field: str) -> object:
    return entry.group_ids if field == "group" else getattr(entry.code, field)


def diff_codebooks(old: Codebook, new: Codebook) -> CodebookDiff:
    before = {e.code.id: e for e in old.codes()}
    after = {e.code.id: e for e in new.codes()}
    lists: dict[tuple[str, ...], list[CodeChange]] = {
        RENAME_FIELDS: [], REDEFINE_FIELDS: [], CHANGE_FIELDS: []}
    for cid, a in after.items():
        b = before.get(cid)
        if b is None:
            continue
        for names, out in lists.items():
            fields = tuple(f for f in names if _value(b, f) != _value(a, f))
            if fields:
                out.append(CodeChange(cid, fields, b.code, a.code, b.group_ids, a.group_ids))

    old_groups = {g.id: (tuple(p.id for p in path), g) for path, g in old.iter_groups()}
    new_groups = {g.id: (tuple(p.id for p in path), g) for path, g in new.iter_groups()}
    groups_changed = []
    for gid, (path, g) in new_groups.items():
        if gid in old_groups:
            opath, og = old_groups[gid]
            fields = tuple(f for f in GROUP_FIELDS
                           if (opath if f == "parent" else getattr(og, f))
                           != (path if f == "parent" else getattr(g, f)))
            if fields:
                groups_changed.append((gid, fields))

    return CodebookDiff(
        added=tuple(e for cid, e in after.items() if cid not in before),
        removed=tuple(e for cid, e in before.items() if cid not in after),
        renamed=tuple(lists[RENAME_FIELDS]), redefined=tuple(lists[REDEFINE_FIELDS]),
        changed=tuple(lists[CHANGE_FIELDS]),
        codebook_fields=tuple(f for f in CODEBOOK_FIELDS if getattr(old, f) != getattr(new, f)),
        groups_added=tuple(g for g in new_groups if g not in old_groups),
        groups_removed=tuple(g for g in old_groups if g not in new_groups),
        groups_changed=tuple(groups_changed))
