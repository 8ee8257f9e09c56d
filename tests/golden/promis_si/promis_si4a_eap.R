# Summed-score EAP table (Lord-Wingersky recursion) for PROMIS Social Isolation 4a.
# Regenerate from the repository root:  Rscript tests/golden/promis_si/promis_si4a_eap.R
# Writes promis_si4a_eap.json beside this script. Item parameters (graded response model,
# slope a and thresholds b1-b4) as listed in shared/instruments/isolation_belonging_wellbeing.md
# section 5b; prior N(0, 1) on an 81-point grid from -4.5 to 4.5; T = 50 + 10 * theta.
library(jsonlite)

params <- list(
  UCLA11x2 = c(3.86945, -0.6775, 0.2171, 1.1507, 1.9481),
  UCLA13x3 = c(3.15724, -0.8517, 0.0587, 1.1001, 1.8146),
  UCLA14x2 = c(4.2454, -0.473, 0.2612, 1.1182, 1.6763),
  UCLA18x2 = c(3.98622, -0.6642, 0.1747, 1.1369, 1.7946)
)
theta <- seq(-4.5, 4.5, length.out = 81)

category_probs <- function(p) {
  a <- p[1]
  b <- p[-1]
  above <- sapply(b, function(bk) plogis(a * (theta - bk)))   # grid x 4
  bounds <- cbind(1, above, 0)
  bounds[, 1:5] - bounds[, 2:6]                               # grid x 5 categories
}

lik <- matrix(1, nrow = 1, ncol = length(theta))              # row s = P(sum s | theta)
for (p in params) {
  cp <- category_probs(p)
  grown <- matrix(0, nrow = nrow(lik) + 4, ncol = length(theta))
  for (k in 1:5) {
    rows <- k:(k + nrow(lik) - 1)
    grown[rows, ] <- grown[rows, ] + sweep(lik, 2, cp[, k], `*`)
  }
  lik <- grown
}
post <- sweep(lik, 2, dnorm(theta), `*`)
post <- post / rowSums(post)
m <- as.vector(post %*% theta)
s <- sqrt(as.vector(post %*% theta^2) - m^2)

out <- list(
  method = "Lord-Wingersky summed-score EAP, N(0,1) prior, 81-point grid -4.5..4.5",
  r_version = R.version.string,
  raw = 4:20,
  t_score = 50 + 10 * m,
  se = 10 * s
)
script_dir <- dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
write_json(out, file.path(script_dir, "promis_si4a_eap.json"), digits = 10, auto_unbox = TRUE,
           pretty = TRUE)
