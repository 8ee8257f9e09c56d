# Reference values for the paired statistics and reliable change (tests/comparison/test_golden_paired.py).
# Run from the repository root: Rscript tests/golden/paired/reference.R
# Needs: R >= 4.2, effectsize, jsonlite, yaml. Writes tests/golden/paired/expected.json.

suppressPackageStartupMessages({
  library(effectsize)
  library(jsonlite)
  library(yaml)
})

here <- "tests/golden/paired"
scores <- read.csv(file.path(here, "scores.csv"), stringsAsFactors = FALSE,
                   colClasses = c(participant_id = "character", wave = "character"))
info <- yaml::read_yaml(file.path(here, "scale_info.yaml"))$scales
valid <- scores[scores$status == "ok" & is.finite(scores$score), ]

# Exact noncentral-t limits for the noncentrality parameter (uniroot, tight tolerance).
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

in_clinical <- function(x, cutoff, op) {
  switch(op, ">=" = x >= cutoff, ">" = x > cutoff, "<=" = x <= cutoff, "<" = x < cutoff)
}

records <- list()
for (to in c("post", "fu")) {
  for (scale in c("cont", "half", "ints")) {
    meta <- info[[paste0("gold.", scale)]]
    sign <- if (meta$direction == "higher_is_better") 1 else -1
    base <- valid[valid$wave == "pre" & valid$scale == scale, ]
    # RCI yardstick: SD of every valid baseline score in the whole sample
    sd0 <- sd(base$score)
    m0 <- mean(base$score)
    s_diff <- sd0 * sqrt(2) * sqrt(1 - meta$reliability)
    if (!is.null(meta$clinical_cutoff)) {
      cutoff <- meta$clinical_cutoff$value; op <- meta$clinical_cutoff$operator; crit <- "published"
    } else if (!is.null(meta$norms)) {
      cutoff <- (sd0 * meta$norms$mean + meta$norms$sd * m0) / (sd0 + meta$norms$sd)
      op <- if (sign < 0) ">" else "<"; crit <- "c"
    } else {
      cutoff <- if (sign < 0) m0 - 2 * sd0 else m0 + 2 * sd0
      op <- if (sign < 0) ">" else "<"; crit <- "a"
    }
    later <- valid[valid$wave == to & valid$scale == scale, ]
    pairs <- merge(base[, c("participant_id", "site", "score")],
                   later[, c("participant_id", "score")],
                   by = "participant_id", suffixes = c("_pre", "_post"))
    for (group in c(NA, "A", "B", "C")) {
      cell <- if (is.na(group)) pairs else pairs[pairs$site == group, ]
      pre <- cell$score_pre; post <- cell$score_post; d <- post - pre
      n <- length(d)
      tt <- t.test(post, pre, paired = TRUE)
      wt <- suppressWarnings(wilcox.test(post, pre, paired = TRUE))
      rb <- suppressWarnings(rank_biserial(post, pre, paired = TRUE, verbose = FALSE))
      d_z <- mean(d) / sd(d)
      lim <- ncp_limits(unname(tt$statistic), n - 1) / sqrt(n)
      d_av <- mean(d) / ((sd(pre) + sd(post)) / 2)
      k <- sum(d * sign > 0)
      pt_ci <- prop.test(k, n, correct = FALSE)$conf.int
      rci <- d / s_diff * sign
      improved <- rci > 1.96; worse <- rci < -1.96
      cpre <- in_clinical(pre, cutoff, op); cpost <- in_clinical(post, cutoff, op)
      # exact signed-rank is used when n (non-zero) < 50 without ties or zeros
      nz <- d[d != 0]
      exact <- length(nz) < 50 && !any(d == 0) && length(unique(abs(nz))) == length(nz)
      records[[length(records) + 1]] <- list(
        from_wave = "pre", to_wave = to, scale = scale, group = if (is.na(group)) NULL else group,
        n_pairs = n, pre_mean = mean(pre), pre_sd = sd(pre), post_mean = mean(post),
        post_sd = sd(post), mean_change = unname(tt$estimate),
        mean_change_ci_low = tt$conf.int[1], mean_change_ci_high = tt$conf.int[2],
        t = unname(tt$statistic), df = unname(tt$parameter), p_t = tt$p.value,
        wilcoxon_v = unname(wt$statistic), p_wilcoxon = wt$p.value,
        wilcoxon_exact = exact, n_zero_differences = sum(d == 0),
        rank_biserial = rb$r_rank_biserial,
        d_z = d_z, d_z_ci_low = lim[1], d_z_ci_high = lim[2],
        d_av = d_av, g_av = d_av * J(n - 1),
        improvement_sign = sign, n_improved = k, prop_improved = k / n,
        prop_improved_ci_low = pt_ci[1], prop_improved_ci_high = pt_ci[2],
        rci_reliability = meta$reliability, rci_sd = sd0, rci_threshold = 1.96 * s_diff,
        n_reliably_improved = sum(improved), n_no_reliable_change = sum(!improved & !worse),
        n_reliably_deteriorated = sum(worse), n_clinical_at_pre = sum(cpre),
        n_recovered = sum(improved & cpre & !cpost), clinical_cutoff = cutoff,
        clinical_cutoff_operator = op, recovery_criterion = crit
      )
    }
  }
}
# Holm and BH over the family: every paired t test of the analysis with a p value
p <- vapply(records, function(r) r$p_t, numeric(1))
holm <- p.adjust(p, "holm"); bh <- p.adjust(p, "BH")
for (i in seq_along(records)) {
  records[[i]]$p_t_holm <- holm[i]; records[[i]]$p_t_bh <- bh[i]
}
out <- list(
  generated_by = "tests/golden/paired/reference.R",
  r_version = R.version.string,
  effectsize_version = as.character(packageVersion("effectsize")),
  records = records
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
           file.path(here, "expected.json"))
cat("wrote", length(records), "records\n")
