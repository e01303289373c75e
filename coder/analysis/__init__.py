"""The analyst's API: ``coder.open_project(path)`` and pandas DataFrames (issue 16).

    import coder
    study = coder.open_project("study.scproj")             # read-only; blinding as in the app
    study.codings()                                         # long: one row per rater x unit x code
    study.matrix("validation")                              # units x raters, missing as NA
    study.reliability()                                     # one row per code x statistic

pandas is imported only here (and lazily by ``coder.open_project``): the app never pays for it.
Columns and dtypes are documented in docs/ANALYSIS.md and stay stable.
"""

from .study import Study, open_project

__all__ = ["Study", "open_project"]
