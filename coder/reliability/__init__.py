"""Inter-rater reliability statistics (pure numpy; scipy only lazily for t/F quantiles).

Entry point: :func:`compute` (all statistics that apply to a units × raters array).
Formula sources are cited in each module's docstring.
"""

from .compute import ALL_NAMES, applicable, compute
from .result import StatResult

__all__ = ["ALL_NAMES", "StatResult", "applicable", "compute"]
