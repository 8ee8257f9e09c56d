# Reference values for the report's baseline-equivalence table
# (tests/report/test_contrasts.py): each arm's starting mean and SD among the people
# analysed (a score at both pre and post) and Hedges' g of Intervention - Comparison with
# the pooled SD, from the demo's scores.
# Run from the repository root after `stigma-outcomes demo --out DEMO`:
#   Rscript tests/golden/baseline_equivalence/reference.R DEMO/scores.csv
# Needs: R >= 4.2, effectsize, jsonlite. Writes tests/golden/baseline_equivalence/expected.json.

suppressPackageStartupMessages({
  library(effectsize)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
scores <- read.csv(args[1], stringsAsFactors = FALSE,
                   colClasses = c(participant_id = "character", wave = "character"))
valid <- scores[scores$status == "ok" & is.finite(scores$score), ]

records <- list()
for (cell in unique(paste(valid$instrument, valid$scale))) {
  parts <- strsplit(cell, " ")[[1]]
  rows <- valid[valid$instrument == parts[1] & valid$scale == parts[2], ]
  pre <- rows[rows$wave == "pre", ]
  post_ids <- rows$participant_id[rows$wave == "post"]
  pre <- pre[pre$participant_id %in% post_ids, ]
  a <- pre$score[pre$arm == "Intervention"]
  b <- pre$score[pre$arm == "Comparison"]
  g <- hedges_g(a, b, pooled_sd = TRUE)
  records[[length(records) + 1]] <- list(
    instrument = parts[1], scale = parts[2],
    n_a = length(a), mean_a = mean(a), sd_a = sd(a),
    n_b = length(b), mean_b = mean(b), sd_b = sd(b),
    hedges_g = g$Hedges_g
  )
}
write(toJSON(records, auto_unbox = TRUE, digits = NA, pretty = TRUE),
      "tests/golden/baseline_equivalence/expected.json")
