# Noncentral-t confidence limits for large t and df, where scipy's noncentral t cdf returns
# NaN in the far tails (tests/comparison/test_unlinked.py::test_ncp_limits_for_large_samples).
# Run from the repository root: Rscript tests/golden/unlinked/ncp_large.R
# Needs: R >= 4.2, jsonlite. Writes tests/golden/unlinked/ncp_large.json.
# R warns that pnt may not reach full precision here; the limits agree with the normal
# approximation t -/+ 1.96 * sqrt(1 + t^2 / (2 df)) to about 1e-4.

suppressPackageStartupMessages(library(jsonlite))

limit <- function(t, df, target) {
  suppressWarnings(uniroot(function(ncp) pt(t, df, ncp) - target, c(t - 10, t + 10),
                           tol = 1e-13)$root)
}
cases <- list(c(62.5, 85000), c(-70, 170000), c(30, 85000), c(45, 20000))
records <- lapply(cases, function(x) list(
  t = x[1], df = x[2], low = limit(x[1], x[2], 0.975), high = limit(x[1], x[2], 0.025)
))
out <- list(generated_by = "tests/golden/unlinked/ncp_large.R", r_version = R.version.string,
            records = records)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "tests/golden/unlinked/ncp_large.json")
cat("wrote", length(records), "records\n")
