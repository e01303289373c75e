""""What went well / what to try next": sentences generated from the codes by the explicit
rules below (no language model). Each rule has an id; `RULES` holds its wording for the
report's appendix. The wording is supportive and concrete: it names units, not the person.

Went well
  W1  at least one episode was resolved: the repairs are named.
  W2  a direct repair strategy was used in an episode.
  W3  model-consistent moves were at least 80 % of consistent + inconsistent moves.
  W4  an MI summary score reached the manual's "good" threshold.
  W5  the median latency from marker to repair was 3 units or fewer.
Try next
  T1  each unresolved episode: come back to it (the marker is quoted).
  T2  episodes were met with indirect strategies only: try a direct one.
  T3  model-inconsistent moves were coded: name the codes and units.
  T4  an MI summary score was below the manual's "fair" threshold.
  T5  a discordance flag: ask the client for feedback on the relationship directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from .discordance import Flag
from .session import SessionFeedback

RULES = {
    "W1": "At least one rupture episode was resolved.",
    "W2": "A direct repair strategy was used in an episode.",
    "W3": "Model-consistent moves were at least 80 % of all consistent and inconsistent moves.",
    "W4": "An MI summary score reached the 'good' threshold (MITI 4.2.1, Moyers et al. 2016).",
    "W5": "The median latency from the first marker to the first repair was 3 units or fewer.",
    "T1": "An episode stayed unresolved.",
    "T2": "Episodes were met only with indirect repair strategies.",
    "T3": "Model-inconsistent moves were coded.",
    "T4": "An MI summary score was below the 'fair' threshold (MITI 4.2.1, Moyers et al. 2016).",
    "T5": "A discordance rule flagged this session.",
}
QUOTE_CHARS = 90


@dataclass(frozen=True)
class Advice:
    rule: str
    text: str


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A short quote: the first `limit` characters, cut at a word. Tags such as [NAME] stay."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " ..."


def _labels(fb: SessionFeedback, codes) -> str:
    book = fb.session.codebook
    out = []
    for c in codes:
        try:
            out.append(book.code(c).label.lower())
        except KeyError:
            out.append(c)
    return ", ".join(out)


def went_well(fb: SessionFeedback) -> list[Advice]:
    out: list[Advice] = []
    eps = fb.episodes
    resolved = [e for e in eps.episodes if e.resolved]
    if resolved:
        e = resolved[0]
        out.append(Advice("W1", f"{len(resolved)} of {eps.count} moment(s) of strain were "
                                f"noticed and worked through; in episode {e.number} "
                                f"({_labels(fb, e.strategies)}) the collaboration was back "
                                f"on track within a few units."))
    direct = [e for e in eps.episodes if e.direct]
    if direct:
        out.append(Advice("W2", "The relationship itself was addressed openly (a direct "
                                f"repair) in episode(s) {', '.join(str(e.number) for e in direct)}"
                                " - a move that takes courage and tends to help."))
    share = fb.profile.consistent_share
    if share is not None and share >= 0.8 and fb.profile.consistent:
        out.append(Advice("W3", f"Most of the coded moves ({share:.0%}) were consistent "
                                "with the model."))
    if fb.mi is not None:
        for s in fb.mi.scores:
            if s.band == "good":
                out.append(Advice("W4", f"{s.label} of {s.value:.2f} meets the 'good' "
                                        f"threshold ({s.good:g}; {fb.mi.source})."))
    if eps.median_latency_units is not None and eps.median_latency_units <= 3:
        out.append(Advice("W5", "Strains were responded to quickly (median "
                                f"{eps.median_latency_units:g} unit(s) from marker to repair)."))
    return out


def try_next(fb: SessionFeedback, flags: list[Flag] = ()) -> list[Advice]:
    out: list[Advice] = []
    eps = fb.episodes
    units = {u.position: u for u in fb.session.units}
    for e in eps.episodes:
        if e.resolved:
            continue
        u = units.get(e.first_marker)
        said = f' ("{quote(u.text)}")' if u is not None and u.text else ""
        kind = {"withdrawal": "moved away", "confrontation": "pushed back",
                "both": "moved away and pushed back"}[e.type]
        follow = ("a repair came but the strain returned soon after" if e.repair_units
                  else "no repair was coded")
        out.append(Advice("T1", f"At unit {e.first_marker} the client {kind}{said}; {follow}. "
                                "It could help to come back to that moment, for example by "
                                "asking how the exchange felt for the client."))
    if eps.count and eps.indirect and not eps.direct:
        out.append(Advice("T2", "Strains were met with indirect strategies only. Next time, "
                                "consider also a direct one: invite talk about what is happening "
                                "between you, or acknowledge your own part."))
    inconsistent = [g for g in fb.profile.groups if g.counts_as == "inconsistent" and g.units]
    if inconsistent:
        codes = [cid for cid, n in fb.profile.codes
                 if any(e.code.id == cid and e.counts_as == "inconsistent"
                        for e in fb.session.codebook.codes())]
        out.append(Advice("T3", f"{fb.profile.inconsistent} unit(s) were coded as less "
                                f"consistent with the model ({_labels(fb, codes)}). Looking at "
                                "those moments together may show what pulled the session "
                                "off course."))
    if fb.mi is not None:
        for s in fb.mi.scores:
            if s.band == "below fair":
                out.append(Advice("T4", f"{s.label} was {s.value:.2f}, below the 'fair' "
                                        f"threshold ({s.fair:g}; {fb.mi.source}); a small, "
                                        "specific goal for the next session could help."))
    for f in flags:
        if f.session == fb.name:
            out.append(Advice("T5", f"{f.title}: {f.text}. The client's and the coders' views "
                                    "differ here; asking the client directly for feedback on "
                                    "the relationship could bring this into the open."))
    return out
