"""Session Coder core: pure Python, never imports Qt (see DESIGN.md, rule 1).

The one door into the core is :class:`coder.project.Project`, an open project with named parts.
"""

__version__ = "0.1.0"
