"""Writes behind the supervisor's feedback, as commands (episode rule, dyad, client measures
and their table import). The figures themselves are in `coder.analytics`; the report in
`coder.report`."""
