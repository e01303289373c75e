"""Interpretation labels at and around each published cut point."""

import pytest

from coder.reliability.schemes import DEFAULT_SCHEME, SCHEMES, interpret
from coder.reliability import ALL_NAMES


@pytest.mark.parametrize("scheme,cases", [
    ("landis_koch", [(-0.01, "poor"), (0.0, "slight"), (0.20, "slight"), (0.21, "fair"),
                     (0.40, "fair"), (0.41, "moderate"), (0.60, "moderate"),
                     (0.61, "substantial"), (0.80, "substantial"), (0.81, "almost perfect"),
                     (1.0, "almost perfect")]),
    ("cicchetti", [(0.39, "poor"), (0.40, "fair"), (0.59, "fair"), (0.60, "good"),
                   (0.74, "good"), (0.75, "excellent"), (1.0, "excellent")]),
    ("koo_li", [(0.49, "poor"), (0.50, "moderate"), (0.74, "moderate"), (0.75, "good"),
                (0.90, "good"), (0.91, "excellent")]),
    ("krippendorff", [(0.666, "unreliable"), (0.667, "tentative"), (0.799, "tentative"),
                      (0.800, "reliable"), (1.0, "reliable")]),
])
def test_cut_points(scheme, cases):
    for value, label in cases:
        assert interpret(value, scheme) == label, (scheme, value)


def test_names_citations_defaults():
    assert interpret(None, "koo_li") == "undefined"
    with pytest.raises(ValueError):
        interpret(0.5, "made_up")
    for s in SCHEMES.values():
        assert s.display_name and s.citation and any(ch.isdigit() for ch in s.display_name)
    assert set(DEFAULT_SCHEME) == set(ALL_NAMES)
    assert all(v is None or v in SCHEMES for v in DEFAULT_SCHEME.values())
