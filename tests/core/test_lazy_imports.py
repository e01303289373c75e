"""`coder.lazy`: the package exports of coder.store and coder.codebook, and the store modules
the command modules write with, load on first use — so the app can import the commands (and
show its start screen) without SQLAlchemy or YAML — and still behave as eager imports did."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("sqlalchemy", "yaml", "numpy", "pandas", "scipy", "spacy", "openpyxl")


def _loaded_after(code: str) -> dict:
    probe = code + (f"\nimport json, sys\nprint(json.dumps({{m: m in sys.modules "
                    f"for m in {HEAVY!r}}}))\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_commands_and_package_names_import_without_sqlalchemy_or_yaml():
    loaded = _loaded_after(
        "import coder, coder.store, coder.codebook\n"
        "from coder.codebook import Code, Codebook, CodeEntry\n"
        "from coder.coding.commands import ToggleCode, MarkDone\n"
        "from coder.media.commands import LinkMedia, SetMediaOffset\n"
        "from coder.codebook.commands import EditCodebook\n")
    assert not any(loaded.values()), loaded


def test_first_use_loads_them():
    loaded = _loaded_after(
        "from coder.store import Store\n"
        "from coder.codebook import dump_codebook\n")
    assert loaded["sqlalchemy"] and loaded["yaml"]


def test_lazy_exports_are_the_real_objects():
    import coder.codebook as cb
    import coder.store as store
    from coder.codebook.files import load_codebook
    from coder.store.handle import Store
    assert cb.load_codebook is load_codebook and store.Store is Store
    assert set(cb.__all__) <= set(dir(cb))
    for name in cb.__all__:
        assert getattr(cb, name) is not None
    try:
        cb.no_such_name
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown name must raise AttributeError")


def test_lazy_module_stands_in_for_the_module():
    from coder.coding import commands
    from coder.lazy import lazy_module
    import coder.store.codings as codings
    assert commands.store.now is codings.now           # the same functions, once loaded
    stand_in = lazy_module("coder.store.media")
    assert "coder.store.media" in repr(stand_in)
    assert stand_in.transcript_exists is __import__(
        "coder.store.media", fromlist=["x"]).transcript_exists
    assert "loaded" in repr(stand_in) and "not loaded" not in repr(stand_in)
