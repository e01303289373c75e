"""Tables of the project database (SQLAlchemy Core), grouped by the schema version that
introduced them. `migrations.py` creates them version by version.

Ids are integer surrogate keys that are never reused (SQLite AUTOINCREMENT semantics via
``sqlite_autoincrement``): a segment id stays the same for the life of the project.
"""

from __future__ import annotations

from sqlalchemy import (Column, Float, ForeignKey, Index, Integer, LargeBinary, MetaData,
                        String, Table, Text, UniqueConstraint)

metadata = MetaData()
_auto = {"sqlite_autoincrement": True}

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

transcript = Table(
    "transcript", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),   # source file name
    Column("format", String(32), nullable=False),
    Column("encoding", String(32)),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("imported_at", String(32), nullable=False),          # ISO 8601, UTC
    Column("settings", Text, nullable=False),                   # JSON: import + segmentation
    Column("unit", String(16), nullable=False),                 # turn | sentence | window
    Column("window_minutes", Float),                            # set when windows exist
    Column("duration_ms", Integer),
    Column("dyad", String(255)),                                # v4: therapist or dyad label
    **_auto,
)

speaker = Table(
    "speaker", metadata,
    Column("id", Integer, primary_key=True),
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           nullable=False),
    Column("position", Integer, nullable=False),                # order of first appearance
    Column("label", String(255), nullable=False),               # as written ("" = unnamed)
    Column("role", String(16), nullable=False),                 # therapist | client | other
    UniqueConstraint("transcript_id", "label"),
    **_auto,
)

turn = Table(
    "turn", metadata,
    Column("id", Integer, primary_key=True),
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           nullable=False),
    Column("position", Integer, nullable=False),                # 1-based
    Column("speaker_id", Integer, ForeignKey("speaker.id", ondelete="CASCADE"),
           nullable=False),
    Column("text", Text, nullable=False),
    Column("start_ms", Integer),
    Column("end_ms", Integer),
    UniqueConstraint("transcript_id", "position"),
    **_auto,
)

segment = Table(
    "segment", metadata,
    Column("id", Integer, primary_key=True),
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           nullable=False),
    Column("kind", String(16), nullable=False),                 # turn | sentence | window
    Column("position", Integer, nullable=False),                # 1-based within kind
    Column("turn_id", Integer, ForeignKey("turn.id", ondelete="CASCADE")),
    Column("char_start", Integer),                              # code points into the turn
    Column("char_end", Integer),
    Column("first_turn", Integer),                              # windows: turn positions held
    Column("last_turn", Integer),
    Column("start_ms", Integer),
    Column("end_ms", Integer),
    UniqueConstraint("transcript_id", "kind", "position"),
    **_auto,
)
# No separate index on (transcript_id, kind, position) or (transcript_id, position): the UNIQUE
# constraints above are those indexes (version 7 dropped the duplicates; see migrations).

# -- version 2: codebooks, raters, codings --------------------------------------------------

codebook_version = Table(
    "codebook_version", metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False, unique=True),   # 1, 2, 3 ... per project
    Column("content", Text, nullable=False),                    # the whole codebook as YAML
    Column("created_at", String(32), nullable=False),
    Column("source", String(255), nullable=False),              # file name, "shipped: ..", "edit"
    Column("summary", Text, nullable=False),                    # what changed, human lines
    **_auto,
)

code = Table(
    "code", metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False, unique=True),     # the codebook id; never reused
    Column("label", String(255), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("first_version", Integer, nullable=False),
    **_auto,
)

rater = Table(
    "rater", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("initials", String(16), nullable=False),
    Column("role", String(16), nullable=False),                 # rater | supervisor | master
    Column("created_at", String(32), nullable=False),
    **_auto,
)

coding = Table(
    "coding", metadata,
    Column("id", Integer, primary_key=True),
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           nullable=False),
    Column("segment_id", Integer, ForeignKey("segment.id", ondelete="CASCADE")),  # null: global
    Column("rater_id", Integer, ForeignKey("rater.id"), nullable=False),
    Column("code_id", Integer, ForeignKey("code.id"), nullable=False),
    Column("value", Float),                     # ratings and globals; null for presence/category
    Column("span_start", Integer),              # code points into the segment's text
    Column("span_end", Integer),
    Column("note", Text),
    Column("codebook_version", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    **_auto,
)
Index("ix_coding_unit", coding.c.segment_id, coding.c.rater_id)

unit_status = Table(           # a row = the rater completed the unit ("not applied" is real)
    "unit_status", metadata,
    Column("segment_id", Integer, ForeignKey("segment.id", ondelete="CASCADE"),
           primary_key=True),
    Column("rater_id", Integer, ForeignKey("rater.id"), primary_key=True),
    Column("completed_at", String(32), nullable=False),
)

assignment = Table(
    "assignment", metadata,
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           primary_key=True),
    Column("rater_id", Integer, ForeignKey("rater.id"), primary_key=True),
    Column("double_coding", Integer, nullable=False, default=0),
    Column("created_at", String(32), nullable=False),
)

segment_note = Table(
    "segment_note", metadata,
    Column("segment_id", Integer, ForeignKey("segment.id", ondelete="CASCADE"),
           primary_key=True),
    Column("rater_id", Integer, ForeignKey("rater.id"), primary_key=True),
    Column("text", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

event_log = Table(             # acts that a study must be able to account for
    "event_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(32), nullable=False),
    Column("rater_id", Integer, ForeignKey("rater.id")),
    Column("kind", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    **_auto,
)
Index("ix_coding_code", coding.c.code_id)
Index("ix_coding_transcript", coding.c.transcript_id, coding.c.rater_id)

# -- version 3: team workflow (rater packages, consensus, training, rounds) ---------------

package_log = Table(           # a package exported for one rater; its baseline for merging
    "package_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("package_uuid", String(36), nullable=False, unique=True),
    Column("rater_id", Integer, ForeignKey("rater.id"), nullable=False),
    Column("exported_at", String(32), nullable=False),
    Column("codebook_version", Integer, nullable=False),
    Column("manifest", Text, nullable=False),       # JSON: transcripts (hash, unit digest)
    Column("baseline", Text, nullable=False),       # JSON: the rater's rows when exported
    Column("imported_at", String(32)),              # set by the merge, cleared by its undo
    Column("import_summary", Text),
    **_auto,
)

consensus_decision = Table(    # audit trail of the consensus layer
    "consensus_decision", metadata,
    Column("id", Integer, primary_key=True),
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           nullable=False),
    Column("segment_id", Integer, ForeignKey("segment.id", ondelete="CASCADE")),  # null: global
    Column("code_key", String(64), nullable=False),
    Column("decided_by", Integer, ForeignKey("rater.id")),
    Column("decided_at", String(32), nullable=False),
    Column("from_raters", Text, nullable=False),    # JSON: {rater name: value or true/false}
    Column("outcome", Text, nullable=False),        # JSON: {"applied": bool, "value": x}
    Column("reason", Text),
    **_auto,
)

training_master = Table(       # whose coding of a transcript is the gold standard
    "training_master", metadata,
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           primary_key=True),
    Column("rater_id", Integer, ForeignKey("rater.id"), nullable=False),
    Column("marked_at", String(32), nullable=False),
)

coding_round = Table(          # named rounds for drift (a transcript belongs to one round)
    "coding_round", metadata,
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           primary_key=True),
    Column("name", String(64), nullable=False),
)

# -- version 4: the supervisor's feedback: client session measures ------------------------

measure = Table(               # a user-defined client-reported session measure
    "measure", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("min", Float, nullable=False),
    Column("max", Float, nullable=False),
    Column("higher_is_better", Integer, nullable=False, default=1),
    Column("parent_id", Integer, ForeignKey("measure.id", ondelete="CASCADE")),  # a sub-scale
    Column("position", Integer, nullable=False),
    Column("is_alliance", Integer, nullable=False, default=0),  # rates the relationship
    **_auto,
)

measure_value = Table(
    "measure_value", metadata,
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           primary_key=True),
    Column("measure_id", Integer, ForeignKey("measure.id", ondelete="CASCADE"),
           primary_key=True),
    Column("value", Float, nullable=False),
    Column("entered_at", String(32), nullable=False),
)


# -- version 5: a media file (audio or video) linked to a transcript -------------------------

media = Table(                 # never a copy of the file: where it is and how to know it again
    "media", metadata,
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           primary_key=True),
    Column("path", Text, nullable=False),               # relative to the project's folder
    Column("size", Integer, nullable=False),             # bytes
    Column("duration_ms", Integer),                      # null: not probed yet
    Column("sha256", String(64), nullable=False),
    Column("offset_ms", Integer, nullable=False, default=0),  # media time of transcript 0
    Column("linked_at", String(32), nullable=False),
)


# -- version 6: the snapshot's arrays per transcript, kept current by triggers ---------------

snapshot_cache = Table(        # see coder/store/snapshot_cache.py; a present row is current
    "snapshot_cache", metadata,
    Column("transcript_id", Integer, ForeignKey("transcript.id", ondelete="CASCADE"),
           primary_key=True, autoincrement=False),
    Column("codings", LargeBinary, nullable=False),      # encoded columns, every rater
    Column("completions", LargeBinary, nullable=False),
    Column("segments", LargeBinary, nullable=False),      # id, kind, position, role
    Column("segment_labels", Text, nullable=False),       # JSON: the kinds' and roles' text
)

#: Tables each schema version adds, in creation order.
TABLES_BY_VERSION: dict[int, list[Table]] = {
    1: [meta, transcript, speaker, turn, segment],
    2: [codebook_version, code, rater, coding, unit_status, assignment, segment_note,
        event_log],
    3: [package_log, consensus_decision, training_master, coding_round],
    4: [measure, measure_value],
    5: [media],
    6: [snapshot_cache],
    7: [],                     # no new table: duplicate indexes dropped (migrations)
}
