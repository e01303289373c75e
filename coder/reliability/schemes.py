"""Named interpretation schemes: a label is only ever shown next to the scheme that gave it.

* Landis, J. R. & Koch, G. G. (1977). The measurement of observer agreement for
  categorical data. Biometrics 33:159-174.  (<0 poor, 0-.20 slight, .21-.40 fair,
  .41-.60 moderate, .61-.80 substantial, .81-1 almost perfect)
* Cicchetti, D. V. (1994). Guidelines, criteria, and rules of thumb for evaluating normed
  and standardized assessment instruments in psychology. Psychol. Assess. 6:284-290.
  (<.40 poor, .40-.59 fair, .60-.74 good, >=.75 excellent)
* Koo, T. K. & Li, M. Y. (2016). A guideline of selecting and reporting intraclass
  correlation coefficients for reliability research. J. Chiropr. Med. 15:155-163.
  (<.5 poor, .5-.75 moderate, .75-.9 good, >.9 excellent)
* Krippendorff, K. (2019). Content Analysis, 4th ed., Sage, ch. 12. (alpha >= .800
  reliable; .667-.800 tentative conclusions only; below .667 unreliable)

Boundaries: a value exactly on a published cut point gets the label the source gives it
(e.g. .20 is "slight" for Landis & Koch, .75 is "excellent" for Cicchetti and "good" for
Koo & Li, .90 is "good" for Koo & Li, .800 is "reliable" for Krippendorff).
"""

from __future__ import annotations

from dataclasses import dataclass

UNDEFINED_LABEL = "undefined"


@dataclass(frozen=True)
class Scheme:
    key: str
    display_name: str
    citation: str
    # (lower bound, inclusive?, label) from the top down; the first bound the value meets wins.
    bands: tuple[tuple[float, bool, str], ...]
    floor_label: str

    def label(self, value: float) -> str:
        for bound, inclusive, lab in self.bands:
            if value > bound or (inclusive and value == bound):
                return lab
        return self.floor_label


SCHEMES: dict[str, Scheme] = {
    "landis_koch": Scheme(
        "landis_koch", "Landis & Koch 1977",
        "Landis, J. R., & Koch, G. G. (1977). The measurement of observer agreement for "
        "categorical data. Biometrics, 33(1), 159-174.",
        ((0.80, False, "almost perfect"), (0.60, False, "substantial"),
         (0.40, False, "moderate"), (0.20, False, "fair"), (0.0, True, "slight")),
        "poor"),
    "cicchetti": Scheme(
        "cicchetti", "Cicchetti 1994",
        "Cicchetti, D. V. (1994). Guidelines, criteria, and rules of thumb for evaluating "
        "normed and standardized assessment instruments in psychology. Psychological "
        "Assessment, 6(4), 284-290.",
        ((0.75, True, "excellent"), (0.60, True, "good"), (0.40, True, "fair")),
        "poor"),
    "koo_li": Scheme(
        "koo_li", "Koo & Li 2016",
        "Koo, T. K., & Li, M. Y. (2016). A guideline of selecting and reporting intraclass "
        "correlation coefficients for reliability research. Journal of Chiropractic "
        "Medicine, 15(2), 155-163.",
        ((0.90, False, "excellent"), (0.75, True, "good"), (0.50, True, "moderate")),
        "poor"),
    "krippendorff": Scheme(
        "krippendorff", "Krippendorff 2019",
        "Krippendorff, K. (2019). Content Analysis: An Introduction to Its Methodology "
        "(4th ed.). Sage. Chapter 12.",
        ((0.800, True, "reliable"), (0.667, True, "tentative")),
        "unreliable"),
}

# Scheme shown by default next to each statistic (None: no interpretation is offered).
DEFAULT_SCHEME = {
    "percent_agreement": None, "positive_agreement": None, "negative_agreement": None,
    "cohen_kappa": "landis_koch", "weighted_kappa_linear": "landis_koch",
    "weighted_kappa_quadratic": "landis_koch", "scott_pi": "landis_koch",
    "fleiss_kappa": "landis_koch", "brennan_prediger": "landis_koch",
    "gwet_ac1": "landis_koch", "gwet_ac2_linear": "landis_koch",
    "gwet_ac2_quadratic": "landis_koch", "krippendorff_alpha": "krippendorff",
    "conger_kappa": "landis_koch", "light_kappa": "landis_koch", "pabak": "landis_koch",
    "prevalence_index": None, "bias_index": None,
    "icc_1_1": "koo_li", "icc_2_1": "koo_li", "icc_3_1": "koo_li",
    "icc_1_k": "koo_li", "icc_2_k": "koo_li", "icc_3_k": "koo_li",
}


def scheme(key: str) -> Scheme:
    try:
        return SCHEMES[key]
    except KeyError:
        raise ValueError(f"unknown interpretation scheme {key!r}; "
                         f"one of {', '.join(SCHEMES)}") from None


def interpret(value: float | None, scheme_key: str) -> str:
    """Label for ``value`` under the named scheme ("undefined" when value is None)."""
    sch = scheme(scheme_key)
    if value is None:
        return UNDEFINED_LABEL
    return sch.label(float(value))
