# Reference values for stigma_outcomes.comparison.ancova, computed with stats::lm and effectsize.
# Regenerate from the repository root:  Rscript tests/golden/ancova/make_golden.R
# Writes scores.csv (seeded synthetic tidy scores) and lm.json.
suppressPackageStartupMessages({
  library(effectsize)
  library(jsonlite)
})
set.seed(4021)
here <- "tests/golden/ancova"

simulate <- function(n, arms, probs, effects, instrument, scale) {
  ids <- sprintf("%s-%03d", instrument, seq_len(n))
  arm <- sample(arms, n, replace = TRUE, prob = probs)
  age <- round(runif(n, 18, 70))
  pre <- round(rnorm(n, 30, 6), 1)
  post <- round(8 + 0.7 * pre + effects[match(arm, arms)] + 0.05 * age + rnorm(n, 0, 4), 1)
  long <- rbind(
    data.frame(participant_id = ids, wave = "pre", arm = arm, age = age, score = pre),
    data.frame(participant_id = ids, wave = "post", arm = arm, age = age, score = post)
  )
  long$instrument <- instrument
  long$scale <- scale
  long$status <- "ok"
  # missing follow-up, an unscorable baseline, and a participant with no age
  drop <- sample(which(long$wave == "post"), round(0.15 * n))
  long <- long[-drop, ]
  bad <- sample(which(long$wave == "pre"), 3)
  long$status[bad] <- "insufficient_items"
  long$score[bad] <- NA
  long$age[long$participant_id == ids[5]] <- NA
  long
}

data <- rbind(
  simulate(70, c("control", "program"), c(0.35, 0.65), c(0, -2.5), "gbs", "total"),
  simulate(110, c("site_a", "site_b", "site_c"), c(0.5, 0.3, 0.2), c(0, -1.5, 1), "ismi", "alienation")
)
write.csv(data, file.path(here, "scores.csv"), row.names = FALSE)

fit_one <- function(d, covariates, reference) {
  ok <- d[d$status == "ok" & !is.na(d$score), ]
  pre <- ok[ok$wave == "pre", c("participant_id", "score", "arm", "age")]
  post <- ok[ok$wave == "post", c("participant_id", "score")]
  w <- merge(pre, post, by = "participant_id", suffixes = c("_pre", "_post"))
  names(w)[names(w) == "score_pre"] <- "pre"
  names(w)[names(w) == "score_post"] <- "post"
  w <- w[complete.cases(w[, c("pre", "post", "arm", covariates)]), ]
  w$arm <- relevel(factor(w$arm, levels = sort(unique(w$arm))), ref = reference)
  # group entered last, so its sequential (type I) SS equals its drop-one (type II/III) SS
  rhs <- paste(c("pre", covariates, "arm"), collapse = " + ")
  m <- lm(as.formula(paste("post ~", rhs)), data = w)
  reduced <- lm(as.formula(paste("post ~", paste(c("pre", covariates), collapse = " + "))), data = w)
  cf <- summary(m)$coefficients
  ci <- confint(m)
  arm_terms <- grep("^arm", rownames(cf), value = TRUE)
  av <- anova(reduced, m)
  eta <- as.data.frame(eta_squared(m, partial = TRUE, ci = NULL))
  contrast_eta <- t_to_eta2(cf[arm_terms, "t value"], df.residual(m), ci = NULL)$Eta2_partial
  list(
    instrument = d$instrument[1], scale = d$scale[1], covariates = covariates,
    reference_group = reference, n = nrow(w), df_residual = df.residual(m),
    terms = arm_terms, group = sub("^arm", "", arm_terms),
    estimate = unname(cf[arm_terms, "Estimate"]), se = unname(cf[arm_terms, "Std. Error"]),
    t = unname(cf[arm_terms, "t value"]), p = unname(cf[arm_terms, "Pr(>|t|)"]),
    ci_low = unname(ci[arm_terms, 1]), ci_high = unname(ci[arm_terms, 2]),
    contrast_partial_eta2 = contrast_eta,
    F = av$F[2], df1 = av$Df[2], df2 = av$Res.Df[2], p_F = av$`Pr(>F)`[2],
    group_partial_eta2 = eta$Eta2_partial[eta$Parameter == "arm"]
  )
}

fits <- list(
  fit_one(data[data$instrument == "gbs", ], character(0), "control"),
  fit_one(data[data$instrument == "gbs", ], "age", "control"),
  fit_one(data[data$instrument == "gbs", ], "age", "program"),
  fit_one(data[data$instrument == "ismi", ], character(0), "site_a"),
  fit_one(data[data$instrument == "ismi", ], "age", "site_a"),
  fit_one(data[data$instrument == "ismi", ], "age", "site_b")
)
writeLines(toJSON(list(effectsize_version = as.character(packageVersion("effectsize")),
                       fits = fits),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(here, "lm.json"))
