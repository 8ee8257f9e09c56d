# Reference values for stigma_outcomes.comparison.power (planning the next cohort), from R pwr.
# Regenerate from the repository root:  Rscript tests/golden/power/make_golden.R
# pwr solves for n and d with uniroot's default tolerance (about 1e-4); besides pwr's own
# answer ("pwr_n", "pwr_d") each case holds the same root solved to 1e-12 on pwr's power
# function ("n", "d"), which is what the Python values are held to.
suppressPackageStartupMessages({
  library(pwr)
  library(jsonlite)
})
here <- "tests/golden/power"
tight <- function(f, lo, hi) uniroot(f, c(lo, hi), tol = 1e-12, extendInt = "upX")$root

paired <- list()
for (d in c(0.2, 0.35, 0.5, 0.8)) for (pw in c(0.8, 0.9)) for (a in c(0.05, 0.01)) {
  f <- function(n) pwr.t.test(n = n, d = d, sig.level = a, type = "paired")$power - pw
  paired[[length(paired) + 1]] <- list(
    d = d, power = pw, alpha = a,
    pwr_n = pwr.t.test(d = d, power = pw, sig.level = a, type = "paired")$n,
    n = tight(f, 2 + 1e-10, 1e4))
}
paired_power <- lapply(c(5, 12, 30, 80), function(n) list(
  n = n, d = 0.4, alpha = 0.05,
  power = pwr.t.test(n = n, d = 0.4, type = "paired")$power))
paired_d <- lapply(c(10, 25, 60), function(n) {
  f <- function(d) pwr.t.test(n = n, d = d, type = "paired")$power - 0.8
  list(n = n, power = 0.8, alpha = 0.05,
       pwr_d = pwr.t.test(n = n, power = 0.8, type = "paired")$d, d = tight(f, 1e-6, 5))
})

two <- lapply(c(0.3, 0.5, 0.8), function(d) {
  f <- function(n) pwr.t.test(n = n, d = d, type = "two.sample")$power - 0.8
  list(d = d, power = 0.8, alpha = 0.05,
       pwr_n = pwr.t.test(d = d, power = 0.8, type = "two.sample")$n, n = tight(f, 2 + 1e-10, 1e4))
})
t2n <- lapply(list(c(20, 40, 0.5), c(30, 45, 0.5), c(12, 12, 1.1), c(50, 25, 0.3)), function(x)
  list(n1 = x[1], n2 = x[2], d = x[3], alpha = 0.05,
       power = pwr.t2n.test(n1 = x[1], n2 = x[2], d = x[3])$power))
t2n_d <- lapply(list(c(20, 40), c(35, 70)), function(x) {
  f <- function(d) pwr.t2n.test(n1 = x[1], n2 = x[2], d = d)$power - 0.9
  list(n1 = x[1], n2 = x[2], power = 0.9, alpha = 0.05,
       pwr_d = pwr.t2n.test(n1 = x[1], n2 = x[2], power = 0.9)$d, d = tight(f, 1e-6, 5))
})

# ANCOVA: the group term added to k covariates (Cohen 1988, ch. 9): u = 1, v = N - k - 2,
# f2 = d_adj^2 n1 n2 / N^2, lambda = f2 (u + v + 1) inside pwr.f2.test.
anc_power <- function(n1, n2, d, k, a = 0.05) {
  N <- n1 + n2
  pwr.f2.test(u = 1, v = N - k - 2, f2 = d^2 * n1 * n2 / N^2, sig.level = a)$power
}
ancova_power <- lapply(list(c(20, 20, 0.5, 1), c(30, 60, 0.4, 1), c(15, 15, 0.9, 3),
                            c(40, 40, 0.3, 2)), function(x)
  list(n1 = x[1], n2 = x[2], d = x[3], k = x[4], alpha = 0.05,
       power = anc_power(x[1], x[2], x[3], x[4])))
ancova_n <- lapply(list(c(0.5, 1, 1), c(0.3, 1, 1), c(0.4, 2, 2)), function(x) {
  d <- x[1]; ratio <- x[2]; k <- x[3]
  f <- function(n1) anc_power(n1, ratio * n1, d, k) - 0.8
  list(d = d, ratio = ratio, k = k, power = 0.8, alpha = 0.05,
       n = tight(f, (k + 3) / (1 + ratio) + 1e-9, 1e4))
})
# Borm et al. (2007): with SD 4 and pre-post r = 0.6, a difference of 2 points is
# d_adj = 2 / (4 * sqrt(1 - 0.36)) = 0.625
borm <- list(difference = 2, sd = 4, r = 0.6, d_adj = 2 / (4 * sqrt(1 - 0.36)),
             power_20_per_group = anc_power(20, 20, 2 / (4 * sqrt(1 - 0.36)), 1))

write_json(list(paired = paired, paired_power = paired_power, paired_d = paired_d,
                two_sample = two, t2n = t2n, t2n_d = t2n_d, ancova_power = ancova_power,
                ancova_n = ancova_n, borm = borm),
           file.path(here, "pwr.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE)
cat("wrote", file.path(here, "pwr.json"), "\n")
