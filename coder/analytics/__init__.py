"""The supervisor's feedback, computed from codings: rupture -> repair episodes, the adherence
profile, MI summary scores, trends across a dyad's sessions, client measures and where they
disagree with the coders, and the rule-based "what went well / what to try next".

Pure functions over :class:`~coder.analytics.data.SessionData`, a snapshot read in one place
(:mod:`coder.store.analytics_read`). No Qt, no SQL here.
"""
