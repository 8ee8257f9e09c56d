# Reference values for the random-effects pooling of sites (tests/comparison/test_pooling.py).
# Run from the repository root: Rscript tests/golden/pooled/make_golden.R
# Needs: R >= 4.2, metafor (3.8), jsonlite (Debian: apt-get install r-cran-metafor
# r-cran-jsonlite). Reads tests/golden/pooled/sites.csv (per-site summary statistics of one
# pre -> post contrast) and writes tests/golden/pooled/expected.json.
#
# Scenarios (one scale each): 'hetero' has five usable sites with real heterogeneity and a
# sixth site below the minimum cell size; 'homog' has three sites whose tau^2 is estimated as
# 0; 'two' has two sites; 'falling' has four sites whose scores went down (higher is worse).
#
# REML is run twice: converged tightly (threshold 1e-12 on the change in tau^2; the exact
# REML solution is the reference) and with metafor's default threshold (1e-5), stored as
# 'metafor_default' to show how far the stock fit stops from the exact one.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

here <- "tests/golden/pooled"
min_cell <- 5
sites <- read.csv(file.path(here, "sites.csv"), stringsAsFactors = FALSE)
sites$ri <- (sites$pre_sd^2 + sites$post_sd^2 - sites$sd_change^2) /
  (2 * sites$pre_sd * sites$post_sd)

# metafor subtracts m2i from m1i, so m1i is the later wave (post - pre, positive = rose).
# SMCR standardises by sd1i, which must therefore be the baseline (pre) SD.
effect_sizes <- function(d, effect) {
  if (effect == "mean_change") {
    escalc(measure = "MC", m1i = post_mean, m2i = pre_mean, sd1i = post_sd, sd2i = pre_sd,
           ri = ri, ni = n_pairs, data = d)
  } else {
    escalc(measure = "SMCR", m1i = post_mean, m2i = pre_mean, sd1i = pre_sd,
           ri = ri, ni = n_pairs, data = d)
  }
}

fit_fields <- function(fit) {
  pred <- predict(fit)
  list(
    k = fit$k, estimate = as.numeric(fit$beta), se = fit$se, ci_low = fit$ci.lb,
    ci_high = fit$ci.ub, z = fit$zval, p = fit$pval, tau2 = fit$tau2, tau = sqrt(fit$tau2),
    i2 = fit$I2, h2 = fit$H2, q = fit$QE, q_df = fit$k - fit$p, q_p = fit$QEp,
    pi_low = pred$pi.lb, pi_high = pred$pi.ub, weights = as.numeric(weights(fit))
  )
}

records <- list()
for (scale in unique(sites$scale)) {
  d_all <- sites[sites$scale == scale, ]
  usable <- d_all$n_pairs >= min_cell
  d <- d_all[usable, ]
  for (effect in c("mean_change", "smcr")) {
    es <- effect_sizes(d, effect)
    sei <- sqrt(es$vi)
    crit <- qnorm(0.975)
    for (method in c("REML", "DL")) {
      fit <- if (method == "REML") {
        rma(yi, vi, data = es, method = "REML", test = "z",
            control = list(threshold = 1e-12, maxiter = 10000))
      } else {
        rma(yi, vi, data = es, method = "DL", test = "z")
      }
      rec <- c(
        list(instrument = d$instrument[1], scale = scale, effect = effect, method = method,
             levels = I(d$site), excluded_levels = I(d_all$site[!usable]),
             n_total = sum(d$n_pairs), improvement_sign = d$improvement_sign[1],
             yi = as.numeric(es$yi), vi = as.numeric(es$vi), sei = sei,
             study_ci_low = as.numeric(es$yi) - crit * sei,
             study_ci_high = as.numeric(es$yi) + crit * sei),
        fit_fields(fit)
      )
      if (method == "REML") {
        stock <- rma(yi, vi, data = es, method = "REML", test = "z")
        rec$metafor_default <- list(tau2 = stock$tau2, estimate = as.numeric(stock$beta),
                                    se = stock$se, i2 = stock$I2)
      }
      records[[length(records) + 1]] <- rec
    }
  }
}

# Effect sizes given directly: the two-study example worked by hand in the tests, and a case
# whose Hedges starting value is positive while the REML maximum lies on tau^2 = 0 (Fisher
# scoring only creeps towards the boundary; stock metafor stops at tau^2 ~ 3e-7).
raw_cases <- list(
  two_by_hand = list(yi = c(0, 3), vi = c(1, 2)),
  boundary = list(yi = c(0, 0.1, 4), vi = c(0.1, 0.1, 9))
)
raw_records <- list()
for (name in names(raw_cases)) {
  case <- raw_cases[[name]]
  for (method in c("REML", "DL")) {
    fit <- rma(case$yi, case$vi, method = method, test = "z",
               control = list(threshold = 1e-12, maxiter = 10000))
    rec <- c(list(case = name, method = method, yi = case$yi, vi = case$vi), fit_fields(fit))
    if (method == "REML") {
      stock <- rma(case$yi, case$vi, method = "REML", test = "z")
      rec$metafor_default <- list(tau2 = stock$tau2, estimate = as.numeric(stock$beta),
                                  se = stock$se, i2 = stock$I2)
    }
    raw_records[[length(raw_records) + 1]] <- rec
  }
}

out <- list(
  generated_by = "tests/golden/pooled/make_golden.R",
  r_version = R.version.string,
  metafor_version = as.character(packageVersion("metafor")),
  min_cell = min_cell,
  records = records,
  raw_records = raw_records
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(here, "expected.json"))
