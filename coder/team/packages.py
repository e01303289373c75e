"""Rater packages: one rater's share of a project, built as a FRESH database.

Blinding that holds in a file: the package is a new SQLite database into which only the
rater's rows are inserted (their assigned transcripts with units, the current codebook
version, their own codings, completed units and notes), then vacuumed. It is never a copy
of the project with rows deleted, since deleted rows survive in free pages. It holds no
other rater's name, coding or note, no event log, no reliability result, no backup.

Identity, in the package's ``meta`` under ``package`` (JSON): the project's uuid, the
package uuid, the rater (id and name), the codebook (id, name, version) and every
transcript's file hash and unit digest. The project keeps its own record of every export
(``package_log``) with the rater's rows at export time, the baseline for merging back.

A package is opened by the rater like a project: it is decrypted (or copied) into a
private temporary file (0600 in a 0700 folder), and written back, re-encrypted, on save,
submit and close.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..errors import ProjectError, SessionCoderError
from ..store import codebooks as cb_store
from ..store import package_io as io
from ..store.codings import now
from ..store import Store
from . import crypto

PACKAGE_SUFFIX = ".scpkg"
SQLITE_MAGIC = b"SQLite format 3\x00"

Passphrase = str | Callable[[], str] | None


class PackageError(SessionCoderError):
    """A package that cannot be built, opened or merged, with the reason."""


@dataclass(frozen=True)
class PackageInfo:
    """What a package says about itself."""

    package_uuid: str
    project_uuid: str
    project_name: str
    rater_id: int
    rater_name: str
    codebook_id: str
    codebook_version: int
    transcripts: tuple[dict, ...]       # {"id", "name", "sha256", "digest"}
    exported_at: str
    submitted_at: str | None = None

    @classmethod
    def from_json(cls, text: str) -> PackageInfo:
        d = json.loads(text)
        return cls(d["package_uuid"], d["project_uuid"], d["project_name"], d["rater"]["id"],
                   d["rater"]["name"], d["codebook"]["id"], d["codebook"]["version"],
                   tuple(d["transcripts"]), d["exported_at"], d.get("submitted_at"))

    def to_json(self) -> str:
        return json.dumps({
            "format": 1, "package_uuid": self.package_uuid, "project_uuid": self.project_uuid,
            "project_name": self.project_name,
            "rater": {"id": self.rater_id, "name": self.rater_name},
            "codebook": {"id": self.codebook_id, "version": self.codebook_version},
            "transcripts": list(self.transcripts), "exported_at": self.exported_at,
            "submitted_at": self.submitted_at}, sort_keys=True)


def _private_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="session-coder-package-"))   # mode 0700


def _passphrase(p: Passphrase) -> str:
    value = p() if callable(p) else p
    if not value:
        raise PackageError("this package is encrypted: a passphrase is needed")
    return value


def export_package(db, rater: str | int, out: str | Path,
                   passphrase: str | None = None) -> PackageInfo:
    """Build the package for `rater` at `out` (encrypted when `passphrase` is given) and
    record the export in the project. `db` is the project's Store (``read()``/``write()``).
    Nothing is written to `out` unless all went well."""
    out = Path(out)
    with db.read() as conn:
        row = io.rater_row(conn, rater)
        if row is None:
            raise PackageError(f"no rater {rater!r} in this project")
        if row["role"] == "consensus":
            raise PackageError("the consensus layer is not a rater; it has no package")
        tids = io.assigned_transcripts(conn, row["id"])
        if not tids:
            raise PackageError(f"rater {row['name']!r} has no assigned transcripts; "
                               f"assign some before exporting a package")
        version = cb_store.latest_version(conn)
        book = cb_store.load_version(conn, version)
        if book is None:
            raise PackageError("this project has no codebook yet")
        by_id = {t["id"]: t for t in io.transcripts_by_hash(conn).values()}
        info = PackageInfo(
            package_uuid=str(uuid.uuid4()), project_uuid=io.meta_value(conn, "project_uuid"),
            project_name=io.meta_value(conn, "project_name") or "", rater_id=row["id"],
            rater_name=row["name"], codebook_id=book.id, codebook_version=version,
            transcripts=tuple({"id": t, "name": by_id[t]["name"], "sha256": by_id[t]["sha256"],
                               "digest": io.unit_digest(conn, t)} for t in tids),
            exported_at=now())
        baseline = io.rater_state(conn, row["id"], tids)
    folder = _private_dir()
    try:
        work = folder / "package.scproj"
        fresh = Store.create(work, info.project_name)        # a new, empty database
        try:
            with db.read() as src, fresh.write() as dst:
                io.copy_rater_rows(src, dst, row["id"], tids, version)
                io.set_meta(dst, "project_uuid", info.project_uuid)
                io.set_meta(dst, "package", info.to_json())
                io.set_meta(dst, "blind", "1")
        finally:
            fresh.dispose()
        io.compact_file(work)
        data = work.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if passphrase:
        data = crypto.encrypt(data, passphrase)
    write_atomic(out, data)
    os.chmod(out, 0o600)
    try:
        with db.write() as conn:
            io.record_export(conn, package_uuid=info.package_uuid, rater_id=row["id"],
                             codebook_ver=version, manifest=json.loads(info.to_json()),
                             baseline=baseline)
    except Exception:
        out.unlink(missing_ok=True)
        raise
    return info


class RaterPackage:
    """A package opened for work: `work_path` is a private temporary project file.

    Open it with `Project.open(pkg.work_path, backup=False)`; call `save()` after the
    service is closed (or at any quiet moment), `close()` at the end (saves, then removes
    the temporary copy)."""

    def __init__(self, path: Path, folder: Path, passphrase: str | None) -> None:
        self.path, self._folder, self._passphrase = path, folder, passphrase
        self.work_path = folder / "package.scproj"

    @property
    def encrypted(self) -> bool:
        return self._passphrase is not None

    @classmethod
    def open(cls, path: str | Path, passphrase: Passphrase = None) -> RaterPackage:
        path = Path(path)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise PackageError(f"{path}: no such package file") from None
        except IsADirectoryError:
            raise PackageError(f"{path}: is a folder, not a package") from None
        secret = None
        if crypto.is_encrypted(blob):
            secret = _passphrase(passphrase)
            blob = crypto.decrypt(blob, secret, str(path))
        elif not blob.startswith(SQLITE_MAGIC):
            raise PackageError(f"{path}: not a Session Coder package")
        folder = _private_dir()
        pkg = cls(path, folder, secret)
        fd = os.open(pkg.work_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        try:
            pkg.info = pkg._read_info()
        except BaseException:
            pkg.discard()
            raise
        return pkg

    def _read_info(self) -> PackageInfo:
        try:
            db = Store.open(self.work_path, readonly=True)
        except ProjectError as exc:
            raise PackageError(f"{self.path}: not a readable package "
                               f"({str(exc).split(': ', 1)[-1]})") from None
        try:
            with db.read() as conn:
                text = io.meta_value(conn, "package")
        finally:
            db.dispose()
        if text is None:
            raise PackageError(f"{self.path}: a project file, not a rater package")
        try:
            return PackageInfo.from_json(text)
        except (ValueError, KeyError, TypeError):
            raise PackageError(f"{self.path}: its package description is damaged") from None

    def mark_submitted(self) -> None:
        db = Store.open(self.work_path)
        try:
            with db.write() as conn:
                d = json.loads(io.meta_value(conn, "package"))
                d["submitted_at"] = now()
                io.set_meta(conn, "package", json.dumps(d, sort_keys=True))
        finally:
            db.dispose()
        self.info = self._read_info()

    def save(self) -> None:
        """Write the working copy back to the package file (re-encrypted). Safe while the
        working copy is open: a consistent copy is taken with SQLite's backup API."""
        snapshot = self._folder / "snapshot.db"
        snapshot.unlink(missing_ok=True)
        io.backup_into(self.work_path, snapshot)
        io.compact_file(snapshot)
        data = snapshot.read_bytes()
        snapshot.unlink(missing_ok=True)
        if self._passphrase:
            data = crypto.encrypt(data, self._passphrase)
        write_atomic(self.path, data)
        os.chmod(self.path, 0o600)

    def discard(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)

    def close(self) -> None:
        try:
            self.save()
        finally:
            self.discard()


def submit_package(path: str | Path, passphrase: Passphrase = None) -> PackageInfo:
    """Mark a package submitted (the rater is done) and write it back."""
    pkg = RaterPackage.open(path, passphrase)
    try:
        pkg.mark_submitted()
        pkg.save()
        return pkg.info
    finally:
        pkg.discard()
