"""Hostile files are refused quickly with a clear message, in bounded memory.

Each test reproduces a failure found by trying the app as a hostile tester would (issue 10):
a 600-byte YAML codebook with nested aliases (71 s, 4 GB), an 850 KB .docx that unpacked to
200 MB (1.96 M turns, 3.1 GB), and XML entity expansion in a .qdc. Peak memory is measured
with tracemalloc (Python allocations) and bounded far below what the attacks used before.
"""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import tracemalloc
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from coder.codebook import CodebookError, import_qdc
from coder.codebook.parse import ALIAS_BUDGET, parse_codebook
from coder.errors import TranscriptFormatError
from coder.importers import parse_bytes, table_columns
from coder.importers.ziputil import MAX_RATIO
from tests.conftest import ROOT

MB = 1_000_000

LAUGHS = """\
id: lol
name: Laughs
version: 1
groups:
- &a {id: a, label: A, codes: [{id: c, label: C, kind: presence, definition: d}]}
- &b {id: b, label: B, groups: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]}
- &c {id: c, label: C, groups: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]}
- &d {id: d, label: D, groups: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]}
- &e {id: e, label: E, groups: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]}
- &f {id: f, label: F, groups: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]}
- &g {id: g, label: G, groups: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]}
"""


def bounded(fn, *, limit_mb: float, timeout: float = 120.0):
    """Run `fn` in a thread with a generous hang guard; return (its exception, peak MB).
    The timeout only stops a hang from blocking the suite; it is not a speed test."""
    box: dict = {}

    def target() -> None:
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["exc"] = exc

    tracemalloc.start()
    try:
        thread = threading.Thread(target=target, daemon=True)
        thread.start()
        thread.join(timeout)
        peak = tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()
    assert not thread.is_alive(), "the input was not refused: the parser was still running"
    assert peak < limit_mb, f"peak memory {peak:.0f} MB"
    return box.get("exc")


# -- YAML codebooks ------------------------------------------------------------------------

def test_nested_aliases_in_a_codebook_are_refused_with_line_and_column() -> None:
    assert len(LAUGHS) < 600
    exc = bounded(lambda: parse_codebook(LAUGHS, "lol.yaml"), limit_mb=20)
    assert isinstance(exc, CodebookError)
    (problem,) = exc.problems
    assert (problem.file, problem.line) == ("lol.yaml", 8)        # the first alias past budget
    assert problem.column == 49
    assert "aliases expand to more than" in problem.message and "'*c'" in problem.message


def test_an_alias_inside_its_own_anchor_is_a_loop_not_a_recursion_error() -> None:
    with pytest.raises(CodebookError) as err:
        parse_codebook("id: x\nname: x\nversion: 1\ngroups: &g [{id: a, label: A, "
                       "groups: *g}]\n", "loop.yaml")
    problem = err.value.problems[0]
    assert (problem.line, problem.column) == (4, 39)
    assert "loop" in problem.message


def test_a_few_aliases_are_still_fine() -> None:
    """A shared scale written once and used by several codes is ordinary YAML."""
    text = ("id: x\nname: X\nversion: 1\ngroups:\n- id: g\n  label: G\n  codes:\n"
            + "".join(f"  - {{id: r{i}, label: R{i}, kind: rating, definition: d, "
                      f"scale: {'&s {min: 1, max: 5}' if i == 0 else '*s'}}}\n"
                      for i in range(ALIAS_BUDGET // 10)))
    book = parse_codebook(text, "ok.yaml")
    assert len(list(book.codes())) == ALIAS_BUDGET // 10


def test_xml_entity_expansion_in_a_qdc_is_refused() -> None:
    entities = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    data = (f'<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY l0 "lol">{entities}]>'
            '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="a" name="&l9;" '
            'isCodable="true"/></Codes></CodeBook>').encode()
    exc = bounded(lambda: import_qdc(data, "lol.qdc"), limit_mb=50)
    assert isinstance(exc, CodebookError)
    assert exc.problems[0].line == 1 and "not valid XML" in exc.problems[0].message


# -- zip packages ------------------------------------------------------------------------

def _docx_with_document(write_body) -> bytes:
    """A real .docx whose word/document.xml is replaced by what `write_body(fh)` streams."""
    base = io.BytesIO()
    docx.Document().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with dst.open(info.filename, "w", force_zip64=True) as fh:
                    write_body(fh)
            else:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def _bomb_body(fh, total: int = 200 * MB) -> None:
    fh.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
             b'wordprocessingml/2006/main"><w:body>')
    para = b"<w:p><w:r><w:t>T: again and again</w:t></w:r></w:p>"
    chunk = para * (1 * MB // len(para))
    for _ in range(total // len(chunk)):
        fh.write(chunk)
    fh.write(b"</w:body></w:document>")


@pytest.fixture(scope="module")
def docx_bomb() -> bytes:
    return _docx_with_document(_bomb_body)


def test_docx_bomb_is_refused_before_unpacking(docx_bomb: bytes) -> None:
    assert len(docx_bomb) < 1 * MB
    exc = bounded(lambda: parse_bytes(docx_bomb, "bomb.docx"), limit_mb=3 * len(docx_bomb) / MB
                  + 5)
    assert isinstance(exc, TranscriptFormatError)
    assert exc.file == "bomb.docx"
    assert "word/document.xml" in exc.message and "50 MB" in exc.message


def test_highly_compressible_part_is_refused_even_below_the_size_limit() -> None:
    data = _docx_with_document(lambda fh: _bomb_body(fh, total=20 * MB))
    with pytest.raises(TranscriptFormatError, match=f"over {MAX_RATIO}x"):
        parse_bytes(data, "dense.docx")


def test_xlsx_bomb_is_refused_for_transcripts_columns_and_codings(tmp_path) -> None:
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        with dst.open("xl/padding.xml", "w", force_zip64=True) as fh:
            for _ in range(60):
                fh.write(b" " * MB)
    data = out.getvalue()
    with pytest.raises(TranscriptFormatError, match="more than 50 MB"):
        parse_bytes(data, "bomb.xlsx")
    with pytest.raises(TranscriptFormatError, match="more than 50 MB"):
        table_columns(data, "bomb.xlsx")
    from coder.coding.table_io import read_rows
    path = tmp_path / "codings.xlsx"
    path.write_bytes(data)
    with pytest.raises(TranscriptFormatError, match="more than 50 MB"):
        read_rows(path)


def test_a_part_that_lies_about_its_size_fails_its_checksum() -> None:
    """Sizes are checked from the zip's directory; a part that unpacks to more than it
    declares is cut at the declared size by zipfile and then fails its checksum."""
    honest = _docx_with_document(lambda fh: _bomb_body(fh, total=2 * MB))
    info = next(i for i in zipfile.ZipFile(io.BytesIO(honest)).infolist()
                if i.filename == "word/document.xml")
    # Patch the declared size in the central directory (and the zip64 extra, if any).
    data = bytearray(honest)
    cd = data.rfind(b"PK\x01\x02word/document.xml"[:4], 0, len(data))
    while cd != -1:
        name_len = int.from_bytes(data[cd + 28:cd + 30], "little")
        if data[cd + 46:cd + 46 + name_len] == b"word/document.xml":
            break
        cd = data.rfind(b"PK\x01\x02", 0, cd)
    assert info.file_size > 1 * MB
    size = 100_000
    data[cd + 24:cd + 28] = size.to_bytes(4, "little")
    with pytest.raises(TranscriptFormatError, match="could not be read"):
        parse_bytes(bytes(data), "liar.docx")


def test_other_compression_methods_are_refused() -> None:
    base = io.BytesIO()
    docx.Document().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
    with pytest.raises(TranscriptFormatError, match="unsupported compression"):
        parse_bytes(out.getvalue(), "bz.docx")


@pytest.mark.skipif(sys.platform == "win32", reason="resource.getrusage is POSIX only")
def test_cli_import_of_a_docx_bomb_is_one_line_in_bounded_memory(docx_bomb, tmp_path):
    """The whole process, C libraries included (tracemalloc sees only Python's allocations):
    before, this file took 3.1 GB; now it is refused at the size of an idle CLI."""
    project = tmp_path / "p.scproj"
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docx_bomb)
    main = str(ROOT / "main.py")
    assert subprocess.run([sys.executable, main, "new", str(project)],
                          capture_output=True, timeout=120).returncode == 0
    probe = ("import resource, subprocess, sys\n"
             "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
             "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
             "print(r.stderr, end='')\n")
    out = subprocess.run([sys.executable, "-c", probe, sys.executable, main, "import",
                          str(project), str(bomb)], capture_output=True, text=True, timeout=300)
    first, *stderr = out.stdout.splitlines()
    code, max_rss_kb = map(int, first.split())
    assert code == 1
    assert any("bomb.docx" in line and "50 MB" in line for line in stderr), stderr
    assert not any("Traceback" in line for line in stderr)
    assert max_rss_kb < 600_000, f"{max_rss_kb / 1000:.0f} MB"


QDE = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
       'name="p"><Sources><TextSource guid="{g}" name="s" plainTextPath="internal://{ref}"/>'
       '</Sources></Project>')


def _qdpx(tmp_path, parts: dict[str, object]) -> Path:
    path = tmp_path / "p.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            with z.open(name, "w", force_zip64=True) as fh:
                body(fh) if callable(body) else fh.write(body)
    return path


def _repeat(total: int):
    def write(fh) -> None:
        chunk = b"T: again and again\n" * 50_000
        for _ in range(total // len(chunk)):
            fh.write(chunk)
    return write


def test_qdpx_text_source_bomb_is_refused(tmp_path) -> None:
    from coder.errors import InputError
    from coder.exchange.qdpx_read import read_qdpx
    qde = QDE.format(g="A1", ref="a.txt").encode()
    path = _qdpx(tmp_path, {"project.qde": qde, "sources/a.txt": _repeat(200 * MB)})
    assert path.stat().st_size < 2 * MB
    exc = bounded(lambda: read_qdpx(path), limit_mb=20)
    assert isinstance(exc, InputError) and exc.file == "p.qdpx"
    assert "sources/a.txt" in exc.message and "50 MB" in exc.message


def test_qdpx_media_is_never_unpacked(tmp_path) -> None:
    """Pictures, audio and video in a project are left out unread, whatever their size."""
    from coder.exchange.qdpx_read import read_qdpx
    qde = QDE.format(g="A1", ref="a.txt").encode()
    path = _qdpx(tmp_path, {"project.qde": qde, "sources/a.txt": b"T: hello\n",
                            "sources/v.mp4": _repeat(120 * MB)})
    project = bounded(lambda: read_qdpx(path), limit_mb=20)
    assert project is None                      # no exception: read fine
    assert read_qdpx(path).sources[0].text == "T: hello\n"


def test_a_part_claiming_more_packed_bytes_than_the_file_is_refused(tmp_path) -> None:
    """Found by the fuzz suite: zipfile reads a part's packed size in one call, and the
    buffered reader allocates that size up front (150 MB for a 4 KB file)."""
    from coder.errors import InputError
    from coder.exchange.qdpx_read import read_qdpx
    good = tmp_path / "good.docx"
    docx.Document().save(good)
    for data, read in ((good.read_bytes(), lambda p: parse_bytes(p.read_bytes(), p.name)),
                       (_qdpx(tmp_path, {"project.qde": QDE.format(g="A", ref="a.txt").encode(),
                                         "sources/a.txt": b"T: hi\n"}).read_bytes(),
                        read_qdpx)):
        data = bytearray(data)
        cd = data.find(b"PK\x01\x02")                    # first central directory entry
        data[cd + 20:cd + 24] = (150 * MB).to_bytes(4, "little")
        path = tmp_path / ("x.qdpx" if read is read_qdpx else "x.docx")
        path.write_bytes(bytes(data))
        exc = bounded(lambda: read(path), limit_mb=20)
        assert isinstance(exc, InputError) and "damaged" in exc.message
