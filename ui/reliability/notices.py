"""The reliability view's fixed notices: banner styles (stale results, errors, information)
and what it says instead of figures while the project is blind."""

BANNER = {"stale": "background:#fff6db; color:#6b4e00; border:1px solid #f0dc9c;",
          "error": "background:#fdecea; color:#8c1d18; border:1px solid #f3c1bc;",
          "info": "background:#eef4fb; color:#1f3b5c; border:1px solid #cfdcec;"}
BLIND_TEXT = (
    "<h3 style='color:#1f3b5c'>Reliability is not shown while the project is blind</h3>"
    "<p>Reliability compares every rater's codings with every other rater's. In blind mode "
    "each rater sees only their own codings, so this view shows no figures and no "
    "disagreements.</p><p><b>The way out:</b> a supervisor signs in (Project ▸ Switch "
    "rater…) and turns blinding off under <b>Project ▸ Blind mode</b>. Then press "
    "<b>Compute</b> here.</p>")
BLIND_SHORT = "Hidden while the project is blind: every rater's values would be visible."
