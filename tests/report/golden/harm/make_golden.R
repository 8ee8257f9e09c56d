# Reference for the summary's harm flag (report/bottom_line.py): is the number reliably
# worse clearly below the number reliably better? Exact one-sided binomial test among the
# people who changed reliably. Run from this folder: Rscript make_golden.R
cases <- data.frame(
  worse  = c(11, 14, 9, 27, 4, 5, 1, 30, 12, 20, 6, 50),
  better = c(11, 66, 13, 53, 18, 12, 9, 45, 30, 35, 40, 80)
)
cases$p_less <- mapply(function(w, b) {
  binom.test(w, w + b, p = 0.5, alternative = "less")$p.value
}, cases$worse, cases$better)
write.csv(cases, "binom_less.csv", row.names = FALSE)
