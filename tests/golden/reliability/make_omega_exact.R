# The one-factor minres minimum behind omega total, solved to rounding in R, beside psych's.
# Regenerate from the repository root:  Rscript tests/golden/reliability/make_omega_exact.R
# Reads keyed_items.csv and scores.csv (written by make_golden.R) and the Heywood case of
# ../edge_cases (items_heywood.csv, scores_heywood.csv) and writes omega_exact.json. With three
# arguments (keyed items CSV, scores CSV, output JSON) it does the same for other data in the
# same layout, for one-off checks. Every item column "<instrument>_<item>" of an instrument
# forms one scale.
#
# psych::fa(fm = "minres") stops L-BFGS-B at optim's default tolerance, so psych's omega is
# right to about 1e-6 only; these values pin the minimum itself down, to check a solver that
# claims to reach it. psych's own value is recomputed from psych::fa (one factor, minres, no
# rotation), the fit psych::omega(nfactors = 1) rests on; psych::omega itself needs the
# GPArotation package, which this machine lacks (make_golden.R recorded its values). The problem is psych's (unweighted least squares on the off-diagonal
# pairwise correlations, one factor, every uniqueness >= 0.005), written over the loadings:
# minimise sum_{i != j} (r_ij - l_i l_j)^2 / 2 with |l_i| <= sqrt(0.995). nlminb (PORT) is
# given the exact gradient and Hessian and started from psych's loadings; the projected
# gradient at the end is recorded to show the minimum was reached.
suppressPackageStartupMessages({
  library(psych)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
here <- "tests/golden/reliability"
sources <- if (length(args) >= 3) list(c(args[1], args[2])) else list(
  c(file.path(here, "keyed_items.csv"), file.path(here, "scores.csv")),
  c("tests/golden/edge_cases/items_heywood.csv", "tests/golden/edge_cases/scores_heywood.csv")
)
out_path <- if (length(args) >= 3) args[3] else file.path(here, "omega_exact.json")
bound <- sqrt(1 - 0.005)

exact_minres <- function(r, start) {
  off <- r
  diag(off) <- 0
  value <- function(l) {
    e <- off - tcrossprod(l)
    diag(e) <- 0
    sum(e^2) / 2
  }
  gradient <- function(l) {
    e <- off - tcrossprod(l)
    diag(e) <- 0
    as.vector(-2 * e %*% l)
  }
  hessian <- function(l) {
    h <- -2 * (off - 2 * tcrossprod(l))
    diag(h) <- 2 * (sum(l^2) - l^2)
    h
  }
  fit <- nlminb(pmin(pmax(start, -bound), bound), value, gradient, hessian,
                lower = -bound, upper = bound,
                control = list(rel.tol = 1e-15, x.tol = 1e-15, eval.max = 1000, iter.max = 500))
  l <- fit$par
  g <- gradient(l)
  at_bound <- abs(l) >= bound * (1 - 1e-12)
  outward <- at_bound & (l * g < 0)  # held at the bound by the constraint
  list(loadings = l, objective = fit$objective, convergence = fit$convergence,
       projected_gradient = max(abs(g[!outward]), 0))
}

out <- list()
for (source in sources) {
  keyed <- read.csv(source[1], colClasses = c(participant_id = "character", wave = "character"),
                    check.names = FALSE)
  scores <- read.csv(source[2], colClasses = c(participant_id = "character", wave = "character"))
  for (inst in unique(scores$instrument)) {
    cols <- grep(paste0("^", inst, "_"), names(keyed), value = TRUE)
    if (length(cols) < 3) next
    for (w in unique(scores$wave)) {
      ok <- scores$participant_id[scores$instrument == inst & scores$wave == w &
                                    scores$status == "ok"]
      x <- keyed[keyed$wave == w & keyed$participant_id %in% ok, cols]
      if (nrow(x) < 3) next
      x <- x[, vapply(x, function(v) sd(v, na.rm = TRUE) > 0, logical(1)), drop = FALSE]
      r <- cor(x, use = "pairwise")
      f <- suppressWarnings(suppressMessages(fa(r, nfactors = 1, fm = "minres", rotate = "none",
                                                n.obs = nrow(x))))
      m <- exact_minres(r, as.vector(f$loadings[, 1]))
      out[[length(out) + 1]] <- list(
        instrument = inst, wave = w, items = sub(paste0(inst, "_"), "", colnames(x)),
        n = nrow(x), psych_fa_omega_total = (sum(r) - sum(f$uniquenesses)) / sum(r),
        omega_total_exact = (sum(r) - sum(1 - m$loadings^2)) / sum(r),
        loadings_exact = m$loadings, objective = m$objective,
        projected_gradient = m$projected_gradient, nlminb_convergence = m$convergence,
        source = source[1]
      )
    }
  }
}
writeLines(toJSON(list(psych_version = as.character(packageVersion("psych")),
                       r_version = R.version.string, results = out),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE), out_path)
