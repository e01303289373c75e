"""Session Coder core: pure Python, never imports Qt (see DESIGN.md, rule 1).

The one door into the core is :class:`coder.project.Project`, an open project with named parts.
"""

from .version import __version__  # noqa: F401  (coder.__version__)


def open_project(path, rater=None, passphrase=None):
    """Open a project read-only for analysis; tables come back as pandas DataFrames (see
    :mod:`coder.analysis` and docs/ANALYSIS.md). pandas is imported only now."""
    from .analysis import open_project as _open
    return _open(path, rater=rater, passphrase=passphrase)
