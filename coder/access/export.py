"""ProjectService part: the Excel/CSV export (see :mod:`coder.export`).

For the GUI: call :meth:`ExportAccess.export_job` on the main thread (quick checks of the
selection, blinding and the target file), then run :func:`coder.export.run_export` on the
job in a worker with progress and cancel. Export only reads the project.
"""

from __future__ import annotations


class ExportAccess:
    def export_job(self, target, options=None, *, csv_dir=None):
        """An :class:`~coder.export.ExportJob` for ``target`` (.xlsx). Raises
        SessionCoderError for an unknown name or a target that cannot be written, and
        BlindingError when a blind rater asks for other raters' codings."""
        from ..export import make_job
        return make_job(self, target, options, csv_dir=csv_dir)

    def export_workbook(self, target, options=None, *, csv_dir=None, progress=None,
                        cancel=None):
        """Export in one call (headless use); returns an :class:`~coder.export.ExportResult`."""
        from ..export import run_export
        return run_export(self.export_job(target, options, csv_dir=csv_dir), progress, cancel)
