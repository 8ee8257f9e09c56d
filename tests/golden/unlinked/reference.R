# Reference values for the unlinked (independent samples) statistics
# (tests/comparison/test_golden_unlinked.py).
# Run from the repository root: Rscript tests/golden/unlinked/reference.R
# Needs: R >= 4.2, effectsize, jsonlite. Writes tests/golden/unlinked/expected.json.

suppressPackageStartupMessages({
  library(effectsize)
  library(jsonlite)
})

here <- "tests/golden/unlinked"
scores <- read.csv(file.path(here, "scores.csv"), stringsAsFactors = FALSE,
                   colClasses = c(participant_id = "character", wave = "character"))
direction <- c(cont = 1, likert = -1, big = 1)       # improvement sign per scale
threshold <- c(cont = 22, likert = 14, big = 21.5)   # the "share at or beyond" thresholds

ncp_limits <- function(t, df) {
  f <- function(target) {
    g <- function(ncp) suppressWarnings(pt(t, df, ncp)) - target
    w <- 2 + abs(t) / 2
    while (g(t - w) <= 0 || g(t + w) >= 0) w <- w * 2
    uniroot(g, c(t - w, t + w), tol = 1e-13)$root
  }
  c(f(0.975), f(0.025))
}
J <- function(df) exp(lgamma(df / 2) - log(sqrt(df / 2)) - lgamma((df - 1) / 2))

records <- list()
for (scale in names(direction)) {
  for (group in c(NA, "north", "south")) {
    cell <- scores[scores$scale == scale & scores$status == "ok", ]
    if (!is.na(group)) cell <- cell[cell$session == group, ]
    before <- cell$score[cell$wave == "before"]
    after <- cell$score[cell$wave == "after"]
    n1 <- length(after); n2 <- length(before)
    tt <- t.test(after, before)
    wt <- suppressWarnings(wilcox.test(after, before))
    ties <- length(unique(c(after, before))) < n1 + n2
    g <- hedges_g(after, before, pooled_sd = FALSE, verbose = FALSE)
    # exact noncentral-t limits, scaled as effectsize does for pooled_sd = FALSE
    s1 <- var(after); s2 <- var(before)
    hn <- 2 * (n2 * s1 + n1 * s2) / (n1 * n2 * (s1 + s2))
    df <- unname(tt$parameter)
    lim <- ncp_limits(unname(tt$statistic), df) * sqrt(hn) * J(df)
    rb <- rank_biserial(after, before, verbose = FALSE)
    sign <- direction[[scale]]; thr <- threshold[[scale]]
    a1 <- if (sign > 0) sum(after >= thr) else sum(after <= thr)
    b1 <- if (sign > 0) sum(before >= thr) else sum(before <= thr)
    pt2 <- suppressWarnings(prop.test(c(a1, b1), c(n1, n2), correct = FALSE))
    cells <- c(a1, n1 - a1, b1, n2 - b1)
    if (any(cells == 0)) cells <- cells + 0.5
    log_or <- log(cells[1] * cells[4] / (cells[2] * cells[3]))
    se_or <- sqrt(sum(1 / cells))
    records[[length(records) + 1]] <- list(
      scale = scale, group = if (is.na(group)) NULL else group,
      from_wave = "before", to_wave = "after",
      n_before = n2, mean_before = mean(before), sd_before = sd(before),
      n_after = n1, mean_after = mean(after), sd_after = sd(after),
      mean_difference = mean(after) - mean(before),
      mean_difference_ci_low = tt$conf.int[1], mean_difference_ci_high = tt$conf.int[2],
      t = unname(tt$statistic), df = df, p_t = tt$p.value,
      hedges_g = g$Hedges_g, hedges_g_effectsize_ci_low = g$CI_low,
      hedges_g_effectsize_ci_high = g$CI_high,
      hedges_g_ci_low = lim[1], hedges_g_ci_high = lim[2],
      mann_whitney_w = unname(wt$statistic), p_mann_whitney = wt$p.value,
      mann_whitney_exact = n1 < 50 && n2 < 50 && !ties,
      rank_biserial = rb$r_rank_biserial,
      threshold = thr, n_beyond_before = b1, prop_beyond_before = b1 / n2,
      n_beyond_after = a1, prop_beyond_after = a1 / n1,
      risk_difference = unname(pt2$estimate[1] - pt2$estimate[2]),
      risk_difference_ci_low = pt2$conf.int[1], risk_difference_ci_high = pt2$conf.int[2],
      odds_ratio = exp(log_or), odds_ratio_ci_low = exp(log_or - qnorm(0.975) * se_or),
      odds_ratio_ci_high = exp(log_or + qnorm(0.975) * se_or)
    )
  }
}
# Multiplicity: Holm and BH over the family of every Welch t test of the analysis
# (all scales and groups, whole sample included), as compare() adjusts them.
p_welch <- vapply(records, function(r) r$p_t, numeric(1))
p_holm <- p.adjust(p_welch, "holm")
p_bh <- p.adjust(p_welch, "BH")
for (i in seq_along(records)) {
  records[[i]]$p_t_holm <- p_holm[i]
  records[[i]]$p_t_bh <- p_bh[i]
}
out <- list(
  generated_by = "tests/golden/unlinked/reference.R",
  r_version = R.version.string,
  effectsize_version = as.character(packageVersion("effectsize")),
  records = records
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
           file.path(here, "expected.json"))
cat("wrote", length(records), "records\n")
