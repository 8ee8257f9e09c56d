# Reference values for attrition (baseline scores of completers vs dropouts)
# (tests/comparison/test_golden_attrition.py). Uses the paired golden's scores.
# Run from the repository root: Rscript tests/golden/attrition/reference.R
# Needs: R >= 4.2, effectsize, jsonlite. Writes tests/golden/attrition/expected.json.

suppressPackageStartupMessages({
  library(effectsize)
  library(jsonlite)
})

scores <- read.csv("tests/golden/paired/scores.csv", stringsAsFactors = FALSE,
                   colClasses = c(participant_id = "character", wave = "character"))
valid <- scores[scores$status == "ok" & is.finite(scores$score), ]

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
for (wave in c("post", "fu")) {
  for (scale in c("cont", "half", "ints")) {
    base <- valid[valid$wave == "pre" & valid$scale == scale, ]
    later_ids <- valid$participant_id[valid$wave == wave & valid$scale == scale]
    base$completer <- base$participant_id %in% later_ids
    for (group in c(NA, "A", "B")) {
      cell <- if (is.na(group)) base else base[base$site == group, ]
      comp <- cell$score[cell$completer]; drop <- cell$score[!cell$completer]
      if (length(comp) < 2 || length(drop) < 2) next
      tt <- t.test(comp, drop)
      g <- hedges_g(comp, drop, verbose = FALSE)
      n1 <- length(comp); n2 <- length(drop); df <- n1 + n2 - 2
      sp <- sqrt(((n1 - 1) * var(comp) + (n2 - 1) * var(drop)) / df)
      t_pooled <- (mean(comp) - mean(drop)) / (sp * sqrt(1 / n1 + 1 / n2))
      lim <- ncp_limits(t_pooled, df) * sqrt(1 / n1 + 1 / n2) * J(df)
      records[[length(records) + 1]] <- list(
        scale = scale, group = if (is.na(group)) NULL else group, wave = wave,
        n_completers = n1, n_dropouts = n2, mean_completers = mean(comp),
        mean_dropouts = mean(drop), t = unname(tt$statistic), df = unname(tt$parameter),
        p = tt$p.value, mean_difference_ci_low = tt$conf.int[1],
        mean_difference_ci_high = tt$conf.int[2], hedges_g = g$Hedges_g,
        hedges_g_ci_low = lim[1], hedges_g_ci_high = lim[2]
      )
    }
  }
}
out <- list(generated_by = "tests/golden/attrition/reference.R", r_version = R.version.string,
            effectsize_version = as.character(packageVersion("effectsize")), records = records)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
           "tests/golden/attrition/expected.json")
cat("wrote", length(records), "records\n")
