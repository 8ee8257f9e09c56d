# Reference values for pooling sites *within each arm* (issue 14; tests/comparison/
# test_pooling_arms.py). Run from the repository root:
#   Rscript tests/golden/pooled_arms/make_golden.R
# Needs: R >= 4.2, metafor, jsonlite (Debian: r-cran-metafor r-cran-jsonlite).
# Writes tests/golden/pooled_arms/scores.csv (tidy scores: two arms, four sites, one
# scale, pre and post) and tests/golden/pooled_arms/expected.json: per arm, each site's
# effect (metafor escalc MC and SMCR, from that arm's pairs only) and the random-effects fit
# (rma, REML converged to 1e-12, and DL). Site 'D' of the comparison arm has 3 pairs, under
# the minimum cell size of 5, so it is left out of that arm's pooling.

suppressPackageStartupMessages({
  library(metafor)
  library(jsonlite)
})

here <- "tests/golden/pooled_arms"
set.seed(20261206)
arms <- c("programme", "waitlist")
sites <- c("A", "B", "C", "D")
sizes <- list(programme = c(A = 14, B = 9, C = 21, D = 11),
              waitlist = c(A = 12, B = 10, C = 16, D = 3))
shift <- c(programme = -2.0, waitlist = -0.2)
site_shift <- c(A = 0.0, B = -1.5, C = 0.8, D = -0.6)

rows <- NULL
for (arm in arms) {
  for (s in sites) {
    n <- sizes[[arm]][[s]]
    id <- sprintf("%s-%s%02d", substr(arm, 1, 1), s, seq_len(n))
    pre <- round(rnorm(n, 20, 4), 1)
    post <- round(pre + shift[[arm]] + site_shift[[s]] * (arm == "programme") +
                    rnorm(n, 0, 2.5), 1)
    rows <- rbind(rows,
      data.frame(participant_id = id, wave = "pre", instrument = "arms", scale = "total",
                 score = pre, status = "ok", arm = arm, site = s),
      data.frame(participant_id = id, wave = "post", instrument = "arms", scale = "total",
                 score = post, status = "ok", arm = arm, site = s))
  }
}
write.csv(rows, file.path(here, "scores.csv"), row.names = FALSE)

fit_fields <- function(fit) {
  pred <- predict(fit)
  list(k = fit$k, estimate = as.numeric(fit$beta), se = fit$se, ci_low = fit$ci.lb,
       ci_high = fit$ci.ub, z = fit$zval, p = fit$pval, tau2 = fit$tau2, i2 = fit$I2,
       h2 = fit$H2, q = fit$QE, q_p = fit$QEp, pi_low = pred$pi.lb, pi_high = pred$pi.ub,
       weights = as.numeric(weights(fit)))
}

out <- list()
for (arm in arms) {
  per_site <- do.call(rbind, lapply(sites, function(s) {
    d <- rows[rows$arm == arm & rows$site == s, ]
    pre <- d$score[d$wave == "pre"]
    post <- d$score[d$wave == "post"]
    data.frame(site = s, n = length(pre), pre_mean = mean(pre), post_mean = mean(post),
               pre_sd = sd(pre), post_sd = sd(post), ri = cor(pre, post))
  }))
  usable <- per_site[per_site$n >= 5, ]
  arm_out <- list(excluded = I(per_site$site[per_site$n < 5]))
  for (effect in c("mean_change", "smcr")) {
    es <- if (effect == "mean_change") {
      escalc(measure = "MC", m1i = post_mean, m2i = pre_mean, sd1i = post_sd, sd2i = pre_sd,
             ri = ri, ni = n, data = usable)
    } else {
      escalc(measure = "SMCR", m1i = post_mean, m2i = pre_mean, sd1i = pre_sd, ri = ri,
             ni = n, data = usable)
    }
    fits <- list()
    for (method in c("REML", "DL")) {
      fits[[method]] <- fit_fields(rma(yi, vi, data = es, method = method, test = "z",
                                       control = list(threshold = 1e-12, maxiter = 10000)))
    }
    arm_out[[effect]] <- list(sites = usable$site, yi = as.numeric(es$yi),
                              vi = as.numeric(es$vi), REML = fits$REML, DL = fits$DL)
  }
  out[[arm]] <- arm_out
}
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(here, "expected.json"))
