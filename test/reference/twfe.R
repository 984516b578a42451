# Reference for src/stats/twfe.ts: two-way fixed effects with the CR1 clustered SE (sandwich).
# Rscript test/reference/twfe.R <panel.csv> <out.csv>
#   panel.csv: unit, time, y, treated      out.csv: estimate, se, qt975, n, k
suppressMessages({ library(sandwich) })
args <- commandArgs(TRUE)
d <- read.csv(args[1], colClasses = c(unit = "character"))
m <- lm(y ~ treated + factor(unit) + factor(time), data = d)
v <- vcovCL(m, cluster = ~unit, type = "HC1")
G <- length(unique(d$unit))
out <- data.frame(
  estimate = sprintf("%.17g", coef(m)[["treated"]]),
  se = sprintf("%.17g", sqrt(v["treated", "treated"])),
  qt975 = sprintf("%.17g", qt(0.975, G - 1)),
  n = nrow(d),
  k = sum(!is.na(coef(m)))
)
write.csv(out, args[2], row.names = FALSE)
