"""The "New project" list of shipped codebooks matches the files: every file listed, titles
are the codebooks' names, and the window flag says whether the codebook rates windows."""

from coder.codebook.shipped import SHIPPED_DIR, shipped_codebooks
from coder.codebook.files import read_codebook_file


def test_every_shipped_codebook_is_listed_with_its_name_and_window_codes():
    listed = shipped_codebooks()
    assert {c.path.name for c in listed} == {p.name for p in SHIPPED_DIR.glob("*.yaml")}
    for item in listed:
        book = read_codebook_file(item.path)[0]
        assert item.title == book.name
        has_windows = any(e.code.unit == "window" for e in book.codes())
        assert item.window_codes == has_windows, item.path.name
        assert item.summary and "\n" not in item.summary
