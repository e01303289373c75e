"""``analysis.R`` beside the CSV files: reads them and computes Krippendorff's alpha and
Fleiss' kappa per code with the irr package (and Gwet's AC1 with irrCAC when it is
installed), ready to run with ``Rscript analysis.R`` in that folder."""

from __future__ import annotations

from pathlib import Path

from ..atomic import write_atomic

HEADER = """\
# Written by Session Coder beside its CSV files. Run in this folder:  Rscript analysis.R
# Needs the R package irr (install.packages("irr")); uses irrCAC too when it is installed.
# One matrix_<code>.csv per code: transcript, unit_kind, unit, then one column per rater,
# empty = missing. Category sets hold category labels; ratings and presence codes numbers.

if (!requireNamespace("irr", quietly = TRUE)) {
  stop("install the irr package first: install.packages(\\"irr\\")")
}
has_cac <- requireNamespace("irrCAC", quietly = TRUE)
args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(script) == 1) dirname(normalizePath(script)) else getwd()

# Level of measurement per code, from the codebook at export time.
levels <- c(
"""

BODY = """\
)

results <- data.frame()
for (code in names(levels)) {
  path <- file.path(here, files[[code]])
  if (!file.exists(path)) next
  d <- read.csv(path, check.names = FALSE, na.strings = "", stringsAsFactors = FALSE)
  ratings <- d[, -(1:3), drop = FALSE]
  if (ncol(ratings) < 2) next
  if (levels[[code]] == "nominal" && !all(sapply(ratings, is.numeric))) {
    all_values <- unique(unlist(ratings))
    all_values <- all_values[!is.na(all_values)]
    ratings <- as.data.frame(lapply(ratings, function(x) match(x, all_values)))
  }
  m <- as.matrix(ratings)
  pairable <- m[rowSums(!is.na(m)) >= 2, , drop = FALSE]
  alpha <- tryCatch(irr::kripp.alpha(t(pairable), method = levels[[code]])$value,
                    error = function(e) NA)
  complete <- m[complete.cases(m), , drop = FALSE]
  fleiss <- tryCatch(irr::kappam.fleiss(complete)$value, error = function(e) NA)
  ac1 <- NA
  if (has_cac) {
    ac1 <- tryCatch(irrCAC::gwet.ac1.raw(as.data.frame(m))$est$coeff.val,
                    error = function(e) NA)
  }
  results <- rbind(results, data.frame(code = code, level = levels[[code]],
                                       units = nrow(pairable), alpha = alpha,
                                       fleiss_kappa = fleiss, gwet_ac1 = ac1))
}
print(results, digits = 3)
write.csv(results, file.path(here, "analysis_results.csv"), row.names = FALSE)
"""


def _r_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_r_script(folder: Path, matrices: dict, file_name) -> Path:
    """Write ``analysis.R`` for the matrices exported to ``folder``."""
    entries = [(key, m.level) for key, m in matrices.items()]
    levels = ",\n".join(f"  {_r_string(k)} = {_r_string(level)}" for k, level in entries)
    files = ",\n".join(f"  {_r_string(k)} = {_r_string(file_name(k))}" for k, _ in entries)
    text = (HEADER + levels + "\n)\nfiles <- c(\n" + files + "\n" + BODY)
    path = Path(folder) / "analysis.R"
    write_atomic(path, text.encode("utf-8"), private=False)   # code names only: no client data
    return path
