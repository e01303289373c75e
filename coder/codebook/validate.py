"""Checks that need the whole codebook: ids, duplicates, kinds and their scales, category sets,
shortcuts, colours, roles. Works on any :class:`Codebook` (from a file or built by the editor);
with the parser's :class:`Locator` each problem gets the line and column of the offending value.
"""

from __future__ import annotations

import re

from coder.codebook.locate import Locator, Path
from coder.codebook.model import (
    ASPECTS,
    COUNTS_AS,
    KINDS,
    RATED_KINDS,
    SPEAKER_SCOPES,
    UNITS,
    Code,
    Codebook,
    CodeGroup,
    Scale,
)
from coder.codebook.problems import Problem, did_you_mean, one_of

SLUG = re.compile(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*")
SHORTCUT = re.compile(r"[A-Za-z0-9]|F(?:[1-9]|1[0-2])")
COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def is_slug(value: object) -> bool:
    return isinstance(value, str) and SLUG.fullmatch(value) is not None


def check_codebook(codebook: Codebook, loc: Locator | None = None) -> list[Problem]:
    """Every problem found, in walk order (sort with ``problems.sort_problems``)."""
    return _Checker(loc or Locator()).run(codebook)


class _Checker:
    def __init__(self, loc: Locator) -> None:
        self.loc = loc
        self.problems: list[Problem] = []
        self.ids: dict[str, tuple[Path, str]] = {}
        self.shortcuts: dict[str, tuple[Path, str]] = {}
        self.items: dict[tuple[str, str], Path] = {}

    def add(self, path: Path, message: str) -> None:
        self.problems.append(self.loc.problem(path, message))

    def skip(self, path: Path) -> bool:
        return path in self.loc.reported

    def where(self, path: Path, name: str) -> str:
        line = self.loc.line(path)
        return f"line {line}" if line is not None else name

    def nonblank(self, path: Path, value: object, field: str, what: str) -> None:
        if not self.skip(path) and not (isinstance(value, str) and value.strip()):
            self.add(path, f"{what}: '{field}' must not be empty")

    def choice(self, path: Path, value: object, choices: tuple[str, ...], field: str,
               what: str) -> bool:
        if value in choices:
            return True
        if not self.skip(path):
            hint = did_you_mean(value, choices) or f" (expected one of: {one_of(choices)})"
            self.add(path, f"{what}: unknown {field} '{value}'{hint}")
        return False

    def ident(self, path: Path, value: str, what: str) -> None:
        if self.skip(path):
            return
        if not is_slug(value):
            self.add(path, f"{what} id '{value}' is not a slug: use lowercase letters, digits "
                           "and '_' or '-', starting with a letter (e.g. 'minimal_response')")
        if value in self.ids:
            first_path, first_name = self.ids[value]
            self.add(path, f"duplicate id '{value}' (already used at "
                           f"{self.where(first_path, first_name)}); ids of codes and groups "
                           "must be unique in a codebook")
        elif value:
            self.ids[value] = (path, f"{what} '{value}'")

    # -- walk ---------------------------------------------------------------------------

    def run(self, cb: Codebook) -> list[Problem]:
        self.ident(("id",), cb.id, "codebook")
        self.ids.pop(cb.id, None)          # the codebook's own id is its own namespace
        self.nonblank(("name",), cb.name, "name", "the codebook")
        if not isinstance(cb.version, int) or isinstance(cb.version, bool):
            self.nonblank(("version",), cb.version, "version", "the codebook")
        for i, citation in enumerate(cb.citations):
            self.nonblank(("citations", i), citation, "citation", "the codebook")
        for i, group in enumerate(cb.groups):
            self.group(group, ("groups", i))
        return self.problems

    def group(self, g: CodeGroup, path: Path) -> None:
        self.ident(path + ("id",), g.id, "group")
        what = f"group '{g.id}'"
        self.nonblank(path + ("label",), g.label, "label", what)
        if g.category_set and len(g.codes) < 2:
            self.add(path + ("category_set",), f"{what} is a category set but holds "
                     f"{len(g.codes)} code(s): a set needs at least two categories")
        if g.counts_as is not None:
            self.choice(path + ("counts_as",), g.counts_as, COUNTS_AS, "counts_as", what)
        for i, code in enumerate(g.codes):
            self.code(code, path + ("codes", i), g)
        for i, sub in enumerate(g.groups):
            self.group(sub, path + ("groups", i))

    def code(self, c: Code, path: Path, group: CodeGroup) -> None:
        self.ident(path + ("id",), c.id, "code")
        what = f"code '{c.id}'"
        self.nonblank(path + ("label",), c.label, "label", what)
        self.nonblank(path + ("definition",), c.definition, "definition", what)
        kind_ok = not self.skip(path + ("kind",)) and self.choice(
            path + ("kind",), c.kind, KINDS, "kind", what)
        if kind_ok:
            self.placement(c, path, group, what)
            self.scale_needed(c, path, what)
        if c.scale is not None:
            self.scale(c.scale, path + ("scale",), what)
        if self.choice(path + ("unit",), c.unit, UNITS, "unit", what) and c.unit != "segment" \
                and c.kind == "global":
            self.add(path + ("unit",), f"{what} is a session global: it is rated once per "
                                       "session, so 'unit' does not apply")
        self.roles(c, path, what)
        self.item(c, path, what)
        self.shortcut(c, path, what)
        if c.color is not None and not self.skip(path + ("color",)) \
                and not COLOR.fullmatch(str(c.color)):
            self.add(path + ("color",), f"{what}: colour '{c.color}' is not #RRGGBB "
                                        "(e.g. '#3CB44B')")

    def placement(self, c: Code, path: Path, group: CodeGroup, what: str) -> None:
        if group.category_set and c.kind != "category":
            self.add(path + ("kind",), f"{what} is a {c.kind} code inside category set "
                     f"'{group.id}': a category set holds only 'category' codes")
        elif not group.category_set and c.kind == "category":
            self.add(path + ("kind",), f"{what} is a category code but group '{group.id}' is "
                     "not a category set: add 'category_set: true' to the group or change "
                     "the kind")

    def scale_needed(self, c: Code, path: Path, what: str) -> None:
        if c.kind in RATED_KINDS and c.scale is None and not self.skip(path + ("scale",)):
            self.add(path + ("kind",), f"{what} is a {c.kind} code and needs a scale "
                                       "(scale: {min: 1, max: 5})")
        elif c.kind not in RATED_KINDS and c.scale is not None:
            self.add(path + ("scale",), f"{what}: only rating and global codes have a scale")

    def scale(self, s: Scale, path: Path, what: str) -> None:
        if s.min >= s.max:
            self.add(path + ("max",), f"{what}: scale max ({s.max}) must be greater than "
                                      f"min ({s.min})")
        for point, label in s.labels:
            if not s.min <= point <= s.max:
                self.add(path + ("labels", point), f"{what}: scale label for {point} is "
                         f"outside the scale {s.min}..{s.max}")
            elif not label.strip():
                self.add(path + ("labels", point), f"{what}: scale label for {point} is empty")

    def roles(self, c: Code, path: Path, what: str) -> None:
        rpath = path + ("roles",)
        if self.skip(rpath):
            return
        if not c.roles:
            self.add(rpath, f"{what}: 'roles' is empty (leave it out to mean any speaker)")
        seen: set[str] = set()
        for i, role in enumerate(c.roles):
            if self.choice(rpath + (i,), role, SPEAKER_SCOPES, "role", what):
                if role in seen:
                    self.add(rpath + (i,), f"{what}: role '{role}' is listed twice")
                seen.add(role)
        if "any" in seen and len(seen) > 1:
            self.add(rpath, f"{what}: 'any' already covers every speaker; list it alone")

    def item(self, c: Code, path: Path, what: str) -> None:
        if c.aspect is not None:
            self.choice(path + ("aspect",), c.aspect, ASPECTS, "aspect", what)
        if (c.item is None) != (c.aspect is None):
            missing = "aspect" if c.aspect is None else "item"
            present = "item" if c.aspect is None else "aspect"
            self.add(path + (present,), f"{what}: '{present}' needs '{missing}' as well "
                     "(e.g. item: model_adherence, aspect: competence)")
            return
        if c.item is None:
            return
        if not is_slug(c.item):
            self.add(path + ("item",), f"{what}: item '{c.item}' is not a slug")
        key = (c.item, c.aspect)
        if key in self.items:
            self.add(path + ("aspect",), f"{what}: item '{c.item}' already has a "
                     f"'{c.aspect}' rating (at {self.where(self.items[key], 'another code')})")
        else:
            self.items[key] = path + ("aspect",)

    def shortcut(self, c: Code, path: Path, what: str) -> None:
        spath = path + ("shortcut",)
        if c.shortcut is None or self.skip(spath):
            return
        if not SHORTCUT.fullmatch(str(c.shortcut)):
            self.add(spath, f"{what}: shortcut '{c.shortcut}' is not one key (a letter, a "
                            "digit or F1..F12)")
            return
        key = c.shortcut.lower() if len(c.shortcut) == 1 else c.shortcut.upper()
        if c.archived:
            return
        if key in self.shortcuts:
            first_path, first_name = self.shortcuts[key]
            self.add(spath, f"{what}: shortcut '{c.shortcut}' is already used by "
                            f"{first_name} (at {self.where(first_path, first_name)})")
        else:
            self.shortcuts[key] = (spath, what)
