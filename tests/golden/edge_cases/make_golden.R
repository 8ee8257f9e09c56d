# Reference values for the edge cases of issue 11 (statistics that refuse nonsense), from R.
# Regenerate from the repository root:  Rscript tests/golden/edge_cases/make_golden.R
# Writes one input file per case (scores_*.csv, items_*.csv; numbers with 17 significant
# digits, so the floating-point rounding the cases are about survives the round trip) and
# expected.json: what R computes, or the message with which R refuses.
suppressPackageStartupMessages({
  library(jsonlite)
  library(metafor)
  library(lme4)
  library(lmerTest)
  library(psych)
  library(effectsize)
})
set.seed(20261206)
here <- "tests/golden/edge_cases"
out <- list()

write17 <- function(d, name) {
  num <- vapply(d, is.double, logical(1))
  d[num] <- lapply(d[num], function(x) ifelse(is.na(x), NA, sprintf("%.17g", x)))
  write.csv(d, file.path(here, name), row.names = FALSE, na = "")
}
refusal <- function(expr) tryCatch({ expr; NULL }, error = function(e) conditionMessage(e))
tidy <- function(ids, wave, scale, score, instrument = "edge", ...) {
  data.frame(participant_id = ids, wave = wave, instrument = instrument, scale = scale,
             score = score, status = "ok", ..., stringsAsFactors = FALSE)
}
ttest <- function(x, y, paired) {
  r <- t.test(x, y, paired = paired)
  list(t = unname(r$statistic), df = unname(r$parameter), p = r$p.value,
       ci_low = r$conf.int[1], ci_high = r$conf.int[2])
}

# 1. Essentially constant change (linked) ------------------------------------------------
n <- 10
ids <- sprintf("c%02d", 1:n)
k <- c(3, 4, 5, 4, 6, 5, 7, 3, 4, 5)
pre_c <- k / 3              # item means such as 5/3
post_c <- (k + 2) / 3       # every participant gains 2/3 of a point
pre_f <- k / 3 + (5 - k) / 3  # 5/3 for everyone, up to rounding
post_f <- pre_f + 2 / 3
pre_a <- round(rnorm(n, 10, 2), 1); post_a <- round(pre_a - 1 + rnorm(n, 0, 1.5), 1)
pre_b <- round(rnorm(n, 20, 3), 1); post_b <- round(pre_b - 0.3 + rnorm(n, 0, 2), 1)
linked <- rbind(
  tidy(ids, "pre", "constant", pre_c), tidy(ids, "post", "constant", post_c),
  tidy(ids, "pre", "flat", pre_f), tidy(ids, "post", "flat", post_f),
  tidy(ids, "pre", "a", pre_a), tidy(ids, "post", "a", post_a),
  tidy(ids, "pre", "b", pre_b), tidy(ids, "post", "b", post_b)
)
write17(linked, "scores_constant.csv")
p_ab <- c(a = ttest(post_a, pre_a, TRUE)$p, b = ttest(post_b, pre_b, TRUE)$p)
w <- wilcox.test(post_c, pre_c, paired = TRUE)
out$constant_linked <- list(
  refusal_constant = refusal(t.test(post_c, pre_c, paired = TRUE)),
  refusal_flat = refusal(t.test(post_f, pre_f, paired = TRUE)),
  sd_change_constant = sd(post_c - pre_c),
  sd_pre_flat = sd(pre_f),
  wilcoxon_v_constant = unname(w$statistic), p_wilcoxon_constant = w$p.value,
  t_a = ttest(post_a, pre_a, TRUE), t_b = ttest(post_b, pre_b, TRUE),
  # the family holds only the defined tests
  p_holm = as.list(p.adjust(p_ab, "holm")), p_bh = as.list(p.adjust(p_ab, "BH"))
)

# 1b. Essentially constant scores (unlinked) ---------------------------------------------
kb <- c(1, 2, 3, 4, 0, 2, 5, 1); ka <- c(2, 0, 1, 4, 3, 5, 2, 1, 3)
before <- kb / 3 + (5 - kb) / 3     # 5/3 up to rounding
after <- ka / 3 + (7 - ka) / 3      # 7/3 up to rounding
bx <- round(rnorm(8, 12, 3), 1); ax <- round(rnorm(9, 10, 3), 1)
unl <- rbind(
  tidy(sprintf("b%02d", 1:8), "before", "flat", before),
  tidy(sprintf("a%02d", 1:9), "after", "flat", after),
  tidy(sprintf("b%02d", 1:8), "before", "x", bx),
  tidy(sprintf("a%02d", 1:9), "after", "x", ax)
)
write17(unl, "scores_constant_unlinked.csv")
out$constant_unlinked <- list(
  refusal_flat = refusal(t.test(after, before)),
  t_x = ttest(ax, bx, FALSE)
)

# 2. Pooling with a site whose change does not vary ---------------------------------------
sites <- c("A", "B", "C", "D")
pool <- NULL
for (s in sites) {
  sid <- sprintf("%s%02d", s, 1:8)
  if (s == "D") {
    kk <- c(3, 4, 5, 6, 4, 5, 3, 6); pre <- kk / 3; post <- (kk + 2) / 3
  } else {
    pre <- round(rnorm(8, 10, 2), 1)
    post <- round(pre + c(A = -1, B = -2, C = 0.5)[[s]] + rnorm(8, 0, 1.2), 1)
  }
  pool <- rbind(pool, tidy(sid, "pre", "total", pre, site = s),
                tidy(sid, "post", "total", post, site = s))
}
write17(pool, "scores_pool.csv")
eff <- do.call(rbind, lapply(sites, function(s) {
  d <- pool[pool$site == s, ]
  ch <- d$score[d$wave == "post"] - d$score[d$wave == "pre"]
  data.frame(site = s, yi = mean(ch), vi = var(ch) / length(ch))
}))
fit_rma <- function(e, method) {
  r <- rma(yi, vi, data = e, method = method, test = "z",
           control = list(threshold = 1e-12, maxiter = 10000))
  list(estimate = as.numeric(r$beta), se = r$se, tau2 = r$tau2, i2 = r$I2, q = r$QE)
}
usable <- eff[eff$site != "D", ]
with_d <- function(method) tryCatch(fit_rma(eff, method), error = function(e) conditionMessage(e))
out$pooling <- list(
  vi_site_d = eff$vi[eff$site == "D"],
  DL = fit_rma(usable, "DL"), REML = fit_rma(usable, "REML"),
  DL_with_d = with_d("DL"), REML_with_d = with_d("REML")
)

# 3. Mixed model with an arm that has no follow-up ----------------------------------------
waves <- c("pre", "post", "fu")
mix <- NULL
for (arm in c("A", "B")) {
  m <- if (arm == "A") 14 else 12
  mid <- sprintf("%s%02d", arm, 1:m)
  u <- rnorm(m, 0, 2)
  for (wv in waves) {
    if (arm == "B" && wv == "fu") next
    shift <- c(pre = 0, post = -1.5, fu = -2)[[wv]] + if (arm == "B") 0.8 else 0
    keep <- if (wv == "pre") rep(TRUE, m) else runif(m) > 0.15
    mix <- rbind(mix, tidy(mid[keep], wv, "total", round(20 + shift + u[keep] +
                                                          rnorm(sum(keep), 0, 1.5), 1),
                           instrument = "mx", arm = arm))
  }
}
write17(mix, "scores_mixed.csv")
md <- mix
md$wave <- factor(md$wave, levels = waves)
md$arm <- factor(md$arm)
fit <- lmer(score ~ wave * arm + (1 | participant_id), data = md, REML = TRUE,
            control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 0.2,
                                                                         rhoend = 1e-12)))
fe <- fixef(fit)
V <- as.matrix(vcov(fit))
vc <- as.data.frame(VarCorr(fit))
cells <- list(c("pre", "A"), c("post", "A"), c("fu", "A"), c("pre", "B"), c("post", "B"))
Lrow <- function(wv, ar) {
  x <- c("(Intercept)" = 1, wavepost = wv == "post", wavefu = wv == "fu", armB = ar == "B",
         "wavepost:armB" = wv == "post" && ar == "B", "wavefu:armB" = wv == "fu" && ar == "B")
  as.numeric(x[names(fe)])
}
ct <- function(L) {
  r <- contest(fit, matrix(L, nrow = 1), joint = FALSE)
  list(estimate = r$Estimate, se = r$`Std. Error`, df = r$df)
}
a3 <- suppressMessages(anova(fit, type = 3))
out$mixed <- list(
  # lmerTest warns "interpret type III hypotheses with care"; the interaction row (the one
  # test of the observed cells) is what the Python model reports
  anova_interaction = list(f = a3["wave:arm", "F value"], num_df = a3["wave:arm", "NumDF"],
                           den_df = a3["wave:arm", "DenDF"], p = a3["wave:arm", "Pr(>F)"]),
  dropped = setdiff(colnames(model.matrix(~ wave * arm, md)), names(fe)),
  terms = names(fe), estimate = unname(fe), se = unname(sqrt(diag(V))),
  participant_variance = vc$vcov[1], residual_variance = vc$vcov[2],
  means = lapply(cells, function(c) c(list(wave = c[1], arm = c[2]), ct(Lrow(c[1], c[2])))),
  contrasts = list(
    c(list(to_wave = "post", arm = "A"), ct(Lrow("post", "A") - Lrow("pre", "A"))),
    c(list(to_wave = "fu", arm = "A"), ct(Lrow("fu", "A") - Lrow("pre", "A"))),
    c(list(to_wave = "post", arm = "B"), ct(Lrow("post", "B") - Lrow("pre", "B")))
  )
)

# 4. ANCOVA with a covariate that is constant among the complete cases ---------------------
m <- 20
aid <- sprintf("p%02d", 1:m)
arm <- rep(c("control", "program"), each = m / 2)
pre <- round(rnorm(m, 30, 5), 1)
post <- round(5 + 0.8 * pre - 2 * (arm == "program") + rnorm(m, 0, 3), 1)
cohort <- rep(30, m)
has_post <- rep(TRUE, m); has_post[c(4, 15)] <- FALSE
cohort[!has_post] <- 25   # varies in the data, but not among those with both waves
anc <- rbind(tidy(aid, "pre", "total", pre, instrument = "an", arm = arm, cohort = cohort),
             tidy(aid[has_post], "post", "total", post[has_post], instrument = "an",
                  arm = arm[has_post], cohort = cohort[has_post]))
write17(anc, "scores_ancova.csv")
cc <- data.frame(pre = pre, post = post, arm = factor(arm), cohort = cohort)[has_post, ]
lmfit <- lm(post ~ pre + cohort + arm, data = cc)
co <- summary(lmfit)$coefficients
out$ancova <- list(
  cohort_coefficient_is_na = is.na(coef(lmfit)[["cohort"]]),
  estimate = co["armprogram", 1], se = co["armprogram", 2], t = co["armprogram", 3],
  p = co["armprogram", 4], df = lmfit$df.residual,
  ci = unname(confint(lmfit)["armprogram", ]), n = nrow(cc)
)

# 5-7. In-sample reliability of a user's own scale; missing item rows; Heywood omega ---------
r <- 40
rid <- sprintf("r%02d", 1:r)
f <- rnorm(r)
items <- sapply(c(0.7, 0.6, 0.8, 0.5), function(l) round(3 + l * f + rnorm(r, 0, 0.7)))
colnames(items) <- paste0("mine_q", 1:4)
ki <- data.frame(participant_id = rid, wave = "pre", items)
write.csv(ki, file.path(here, "items_mine.csv"), row.names = FALSE)
sc <- rbind(tidy(rid, "pre", "total", rowMeans(items), instrument = "mine"),
            tidy(rid, "post", "total", rowMeans(items) + rnorm(r, -0.2, 0.4),
                 instrument = "mine"))
write17(sc, "scores_mine.csv")
al <- psych::alpha(as.data.frame(items), warnings = FALSE)
out$reliability_unregistered <- list(
  alpha = al$total$raw_alpha,
  alpha_ci = unname(psych::alpha.ci(al$total$raw_alpha, r, p.val = 0.05, n.var = 4,
                                    digits = 15)[c("lower.ci", "upper.ci")]),
  r_drop = as.list(setNames(al$item.stats$r.drop, sub("mine_", "", colnames(items)))),
  post_item_rows = 0L,
  refusal_post = refusal(psych::alpha(as.data.frame(items[0, ]), warnings = FALSE))
)
# Heywood: correlations that imply a loading above 1 for the first item
S <- matrix(c(1, .8, .8, .6,
              .8, 1, .5, .45,
              .8, .5, 1, .45,
              .6, .45, .45, 1), 4)
z <- matrix(rnorm(300 * 4), 300) %*% chol(S)
hey <- as.data.frame(round(z * 1.5 + 4, 2))
colnames(hey) <- paste0("hey_i", 1:4)
write.csv(data.frame(participant_id = sprintf("h%03d", 1:300), wave = "pre", hey),
          file.path(here, "items_heywood.csv"), row.names = FALSE)
write17(tidy(sprintf("h%03d", 1:300), "pre", "total", rowSums(hey), instrument = "hey"),
        "scores_heywood.csv")
om <- suppressWarnings(suppressMessages(psych::omega(hey, nfactors = 1, flip = FALSE,
                                                     plot = FALSE)))
fa1 <- suppressWarnings(suppressMessages(psych::fa(hey, nfactors = 1, fm = "minres")))
out$heywood <- list(
  psych_omega_total = om$omega.tot,
  psych_loadings = unname(as.numeric(fa1$loadings)),
  psych_uniquenesses = unname(fa1$uniquenesses),
  cor = unname(cor(hey))
)

# 8. Reference group: numbers written as text ---------------------------------------------
m <- 16
gid <- sprintf("g%02d", 1:m)
garm <- rep(c("10", "2"), each = m / 2)
gpre <- round(rnorm(m, 15, 3), 1)
gpost <- round(2 + 0.9 * gpre + 1.5 * (garm == "10") + rnorm(m, 0, 2), 1)
grp <- rbind(tidy(gid, "pre", "total", gpre, instrument = "rg", cohort = garm),
             tidy(gid, "post", "total", gpost, instrument = "rg", cohort = garm))
write17(grp, "scores_reference.csv")
gd <- data.frame(pre = gpre, post = gpost, cohort = factor(as.numeric(garm)))
gfit <- lm(post ~ pre + cohort, data = gd)
gco <- summary(gfit)$coefficients
out$reference <- list(
  levels = levels(gd$cohort), term = rownames(gco)[3],
  estimate = gco[3, 1], se = gco[3, 2], p = gco[3, 4]
)

# 9. Very small samples ----------------------------------------------------------------------
tiny <- rbind(tidy(c("t1", "t2", "t3"), "pre", "total", c(6, 7, 9), instrument = "tn"),
              tidy(c("t1", "t2", "t3"), "post", "total", c(4, 6, 6), instrument = "tn"))
write17(tiny, "scores_tiny.csv")
out$tiny <- list(t = ttest(c(4, 6, 6), c(6, 7, 9), TRUE), n = 3L)

write_json(out, file.path(here, "expected.json"), digits = NA, auto_unbox = TRUE,
           pretty = TRUE, null = "null")
cat("wrote", file.path(here, "expected.json"), "\n")
