# Reference values for stigma_outcomes.comparison.reliability, computed with psych.
# Regenerate from the repository root:  Rscript tests/golden/reliability/make_golden.R
# Writes keyed_items.csv (seeded synthetic keyed item responses), scores.csv (which scale
# scores are ok) and psych.json (psych::alpha and psych::omega on the ok participants).
suppressPackageStartupMessages({
  library(psych)
  library(GPArotation)
  library(jsonlite)
})
set.seed(77)
here <- "tests/golden/reliability"

likert <- function(latent, loading, noise, lo, hi) {
  z <- loading * latent + rnorm(length(latent), 0, noise)
  cuts <- quantile(z, probs = seq(0, 1, length.out = hi - lo + 2))[-c(1, hi - lo + 2)]
  lo + findInterval(z, cuts)
}

n <- 140
ids <- sprintf("r%03d", seq_len(n))
waves <- c("pre", "post")
items <- list()
for (w in waves) {
  f <- rnorm(n)
  # 10-item scale (1-5); item 7 was already reversed by the survey platform, so after our
  # keying it runs against the others: a mis-keyed item
  gbs <- sapply(1:10, function(j) likert(if (j == 7) -f else f,
                                          c(0.9, 0.8, 0.7, 0.75, 0.6, 0.85, 0.7, 0.5, 0.65, 0.8)[j],
                                          0.7, 1, 5))
  colnames(gbs) <- paste0("gbs_i", 1:10)
  # 3-item scale (1-3)
  ucla <- sapply(1:3, function(j) likert(f, c(0.9, 0.7, 0.8)[j], 0.8, 1, 3))
  colnames(ucla) <- paste0("ucla3_q", 1:3)
  block <- data.frame(participant_id = ids, wave = w, gbs, ucla)
  # about 6% of item responses missing, at random
  m <- as.matrix(block[, -(1:2)])
  m[matrix(runif(length(m)) < 0.06, nrow(m))] <- NA
  block[, -(1:2)] <- m
  items[[w]] <- block
}
keyed <- do.call(rbind, items)
# scores: a scale score is ok when at least 80% of its items were answered
answered <- function(cols) rowSums(!is.na(keyed[, cols])) / length(cols)
gbs_cols <- paste0("gbs_i", 1:10)
ucla_cols <- paste0("ucla3_q", 1:3)
scores <- rbind(
  data.frame(participant_id = keyed$participant_id, wave = keyed$wave, instrument = "gbs",
             scale = "total", status = ifelse(answered(gbs_cols) >= 0.8, "ok", "insufficient_items")),
  data.frame(participant_id = keyed$participant_id, wave = keyed$wave, instrument = "ucla3",
             scale = "total", status = ifelse(answered(ucla_cols) >= 0.66, "ok", "insufficient_items"))
)
write.csv(keyed, file.path(here, "keyed_items.csv"), row.names = FALSE)
write.csv(scores, file.path(here, "scores.csv"), row.names = FALSE)

out <- list()
for (inst in c("gbs", "ucla3")) {
  cols <- if (inst == "gbs") gbs_cols else ucla_cols
  for (w in waves) {
    ok <- scores$participant_id[scores$instrument == inst & scores$wave == w & scores$status == "ok"]
    x <- keyed[keyed$wave == w & keyed$participant_id %in% ok, cols]
    a <- suppressWarnings(alpha(x))  # defaults: use = "pairwise", check.keys = FALSE
    o_noflip <- suppressWarnings(suppressMessages(omega(x, nfactors = 1, flip = FALSE, plot = FALSE)))
    o_default <- suppressWarnings(suppressMessages(omega(x, nfactors = 1, plot = FALSE)))
    out[[length(out) + 1]] <- list(
      instrument = inst, scale = "total", wave = w, items = sub(paste0(inst, "_"), "", cols),
      n = nrow(x), alpha = a$total$raw_alpha,
      alpha_ci_low = a$feldt$lower.ci[[1]], alpha_ci_high = a$feldt$upper.ci[[1]],
      alpha_if_deleted = unname(a$alpha.drop$raw_alpha), r_drop = unname(a$item.stats$r.drop),
      omega_total = o_noflip$omega.tot, omega_total_flipped = o_default$omega.tot
    )
  }
}
writeLines(toJSON(list(psych_version = as.character(packageVersion("psych")), results = out),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(here, "psych.json"))
