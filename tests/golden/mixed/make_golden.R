# Reference values for stigma_outcomes.comparison.mixed, computed with lme4 and lmerTest.
# Regenerate from the repository root:  Rscript tests/golden/mixed/make_golden.R
# Writes scores.csv (the seeded synthetic input) and lme4.json (what lmer estimated, plus
# lmerTest's Satterthwaite df, t, p and 95% t intervals under "satterthwaite", and its type III
# F tests, anova(fit, type = 3), under "anova").
suppressPackageStartupMessages({
  library(lme4)
  library(lmerTest)
  library(jsonlite)
})
set.seed(20261121)
here <- "tests/golden/mixed"

simulate <- function(n, waves, arm_levels, arm_probs, instrument, scale, sd_u, sd_e,
                     shift, arm_shift, miss) {
  ids <- sprintf("%s-%04d", substr(instrument, 1, 3), seq_len(n))
  arm <- sample(arm_levels, n, replace = TRUE, prob = arm_probs)
  u <- rnorm(n, 0, sd_u)
  rows <- list()
  for (k in seq_along(waves)) {
    mu <- 20 + shift[k] + u + ifelse(arm == arm_levels[length(arm_levels)], arm_shift[k], 0)
    score <- round(mu + rnorm(n, 0, sd_e), 2)
    keep <- if (k == 1) rep(TRUE, n) else runif(n) > miss
    rows[[k]] <- data.frame(participant_id = ids[keep], wave = waves[k], arm = arm[keep],
                            instrument = instrument, scale = scale, score = score[keep],
                            status = "ok")
  }
  out <- do.call(rbind, rows)
  # a few scores that scoring could not compute: must be ignored by the model
  bad <- sample(nrow(out), 5)
  out$status[bad] <- "insufficient_items"
  out$score[bad] <- NA
  out
}

three <- c("pre", "post", "followup")
four <- c("w1", "w2", "w3", "w4")
data <- rbind(
  simulate(150, three, c("control", "treatment"), c(0.3, 0.7), "ucla3", "total",
           2, 1.5, c(0, -1, -1.5), c(0, -1, -1.2), 0.3),
  simulate(90, three, c("alpha", "beta", "gamma"), c(0.5, 0.3, 0.2), "oms", "attitudes",
           3, 2, c(0, -2, -1), c(0, -0.5, 0.4), 0.3),
  simulate(60, four, c("control", "treatment"), c(0.6, 0.4), "k6", "distress",
           1, 2.5, c(0, 0.5, -1, -2), c(0, 0, 0, 0), 0.3),
  # no participant-level variation at all: lme4 reports a singular fit (variance 0)
  simulate(40, three, c("control", "treatment"), c(0.5, 0.5), "noise", "total",
           0, 3, c(0, 0, 0), c(0, 0, 0), 0.2),
  # almost no change within a participant: the variance ratio is of order 1e5
  simulate(50, three, c("control", "treatment"), c(0.5, 0.5), "stable", "total",
           5, 0.01, c(0, 0.1, 0.2), c(0, 0, 0), 0.3)
)
write.csv(data, file.path(here, "scores.csv"), row.names = FALSE)

fit_one <- function(d, waves, grouped) {
  d <- d[d$status == "ok" & !is.na(d$score), ]
  d$wave <- factor(d$wave, levels = waves)
  d$arm <- factor(d$arm, levels = sort(unique(d$arm)))
  f <- if (grouped) score ~ wave * arm + (1 | participant_id) else score ~ wave + (1 | participant_id)
  # The reference should be the REML optimum itself, not where one optimiser's stopping rule
  # happens to land (lme4's default can stop ~1e-4 away on the variances). Fit with several
  # of lme4's optimisers at tight tolerances and keep the lowest REML criterion.
  controls <- list(
    nloptwrap = lmerControl(optCtrl = list(xtol_abs = 1e-10, ftol_abs = 1e-12)),
    bobyqa = lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-10, maxfun = 1e5)),
    nlminbwrap = lmerControl(optimizer = "nlminbwrap", optCtrl = list(rel.tol = 1e-14)),
    Nelder_Mead = lmerControl(optimizer = "Nelder_Mead",
                              optCtrl = list(FtolAbs = 1e-14, XtolRel = 1e-12))
  )
  candidates <- lapply(controls, function(ctrl) {
    suppressWarnings(suppressMessages(lmer(f, data = d, REML = TRUE, control = ctrl)))
  })
  crit <- vapply(candidates, REMLcrit, numeric(1))
  optimizer <- names(candidates)[which.min(crit)]
  # Refit with the winning control under a name lmerTest can find when it rebuilds the
  # deviance function from the call (the refit is deterministic: same optimum).
  ctrl <- controls[[optimizer]]
  m <- suppressWarnings(suppressMessages(lme4::lmer(f, data = d, REML = TRUE, control = ctrl)))
  stopifnot(REMLcrit(m) == min(crit))
  # Satterthwaite df as lmerTest computes them: numerical Hessian of the REML deviance in
  # (theta, sigma) and Jacobian of vcov(beta), evaluated at this fit's optimum.
  mt <- lmerTest::as_lmerModLmerTest(m)
  satt <- function(L) {
    tab <- lmerTest::contest(mt, L, joint = FALSE, confint = TRUE, level = 0.95)
    list(estimate = tab$Estimate, se = tab[["Std. Error"]], df = tab$df,
         t = tab[["t value"]], p = tab[["Pr(>|t|)"]], ci_low = tab$lower,
         ci_high = tab$upper)
  }
  coefs <- summary(mt)$coefficients
  b <- fixef(m)
  V <- as.matrix(vcov(m))
  vc <- as.data.frame(VarCorr(m))
  # wave (x arm) cell means and later-minus-baseline contrasts as L %*% beta
  cells <- expand.grid(wave = factor(waves, levels = waves),
                       arm = if (grouped) factor(levels(d$arm), levels = levels(d$arm)) else NA)
  Xc <- if (grouped) model.matrix(~ wave * arm, cells) else model.matrix(~ wave, cells)
  est <- drop(Xc %*% b)
  se <- sqrt(diag(Xc %*% V %*% t(Xc)))
  base <- match(paste(cells$arm, waves[1]), paste(cells$arm, cells$wave))
  later <- which(cells$wave != waves[1])
  D <- Xc[later, , drop = FALSE] - Xc[base[later], , drop = FALSE]
  fixed_satt <- satt(diag(length(b)))
  # summary() and contest() must be the same computation; keep the check in the script
  stopifnot(isTRUE(all.equal(unname(coefs[, "df"]), fixed_satt$df, tolerance = 1e-12)))
  list(
    instrument = d$instrument[1], scale = d$scale[1], grouped = grouped, waves = waves,
    n_observations = nrow(d), n_participants = length(unique(d$participant_id)),
    terms = names(b), estimate = unname(b), se = unname(sqrt(diag(V))),
    participant_variance = vc$vcov[vc$grp == "participant_id"],
    residual_variance = vc$vcov[vc$grp == "Residual"],
    reml_criterion = unname(REMLcrit(m)), singular = isSingular(m), optimizer = optimizer,
    means = list(wave = as.character(cells$wave),
                 group = if (grouped) as.character(cells$arm) else NULL,
                 mean = unname(est), se = unname(se)),
    contrasts = list(to_wave = as.character(cells$wave[later]),
                     group = if (grouped) as.character(cells$arm[later]) else NULL,
                     estimate = unname(drop(D %*% b)),
                     se = unname(sqrt(diag(D %*% V %*% t(D))))),
    satterthwaite = list(
      fixed = list(df = unname(coefs[, "df"]), t = unname(coefs[, "t value"]),
                   p = unname(coefs[, "Pr(>|t|)"]), ci_low = fixed_satt$ci_low,
                   ci_high = fixed_satt$ci_high),
      means = satt(unname(Xc)),
      contrasts = satt(unname(D))
    ),
    anova = type3_anova(mt)
  )
}

# lmerTest's type III table (anova(fit, type = 3)): one multi-df Satterthwaite F test per
# term, with the hypothesis matrix L of each term so the tests can check the hypotheses too.
# For a model with a single term lmerTest falls back on type I (Doolittle) hypotheses.
type3_anova <- function(mt) {
  tab <- anova(mt, type = 3)
  L <- attr(tab, "hypotheses")
  # I() keeps a one-term table as arrays in the JSON
  list(term = I(rownames(tab)), sum_sq = I(tab[["Sum Sq"]]), mean_sq = I(tab[["Mean Sq"]]),
       num_df = I(tab$NumDF), den_df = I(tab$DenDF), f = I(tab[["F value"]]),
       p = I(tab[["Pr(>F)"]]),
       hypotheses = lapply(rownames(tab), function(term) unname(as.matrix(L[[term]]))))
}

fits <- list()
for (key in unique(paste(data$instrument, data$scale))) {
  d <- data[paste(data$instrument, data$scale) == key, ]
  waves <- if (d$instrument[1] == "k6") four else three
  fits[[length(fits) + 1]] <- fit_one(d, waves, FALSE)
  fits[[length(fits) + 1]] <- fit_one(d, waves, TRUE)
}
writeLines(toJSON(list(lme4_version = as.character(packageVersion("lme4")),
                       lmerTest_version = as.character(packageVersion("lmerTest")),
                       fits = fits),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(here, "lme4.json"))
