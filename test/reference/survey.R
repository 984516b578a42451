# Reference values for src/stats (rake, svyMean, cronbachAlpha), computed by R's survey package.
# Rscript test/reference/survey.R <units.csv> <margins.csv> <out.csv>
#   units.csv:   commune, unit, sex, age_band, w0, y1, y2, p1   (y2 and p1 may be NA)
#   margins.csv: commune, margin (sex | age_band), category, population
#   out.csv:     commune, what (weight | mean | alpha), key (unit id or variable), value, se
# Called by test/stats/survey.test.ts, which compares with the TypeScript functions.
suppressMessages(library(survey))
args <- commandArgs(TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE, colClasses = c(commune = "character"))
m <- read.csv(args[2], stringsAsFactors = FALSE, colClasses = c(commune = "character"))
f <- function(x) sprintf("%.17g", x)
rows <- list()
add <- function(...) rows[[length(rows) + 1]] <<- data.frame(..., stringsAsFactors = FALSE)
for (cm in unique(d$commune)) {
  x <- d[d$commune == cm, ]
  x$sex <- factor(x$sex)
  x$age_band <- factor(x$age_band)
  des <- svydesign(ids = ~1, weights = ~w0, data = x)
  sm <- m[m$commune == cm & m$margin == "sex", ]
  am <- m[m$commune == cm & m$margin == "age_band", ]
  sex_margin <- data.frame(sex = sm$category, Freq = sm$population)
  age_margin <- data.frame(age_band = am$category, Freq = am$population)
  r <- rake(des, list(~sex, ~age_band), list(sex_margin, age_margin), control = list(maxit = 200, epsilon = 1e-13))
  w <- weights(r)
  for (i in seq_along(w)) add(commune = cm, what = "weight", key = as.character(x$unit[i]), value = f(w[i]), se = "")
  for (v in c("y1", "y2", "p1")) {
    e <- svymean(as.formula(paste0("~", v)), r, na.rm = TRUE)
    add(commune = cm, what = "mean", key = v, value = f(coef(e)[[1]]), se = f(SE(e)[[1]]))
  }
}
# Cronbach's alpha over every unit (listwise), unweighted: psych-free, the textbook formula in base R
items <- na.omit(d[, c("y1", "y2")])
k <- ncol(items)
alpha <- k / (k - 1) * (1 - sum(apply(items, 2, var)) / var(rowSums(items)))
add(commune = "all", what = "alpha", key = "y1+y2", value = f(alpha), se = "")
write.csv(do.call(rbind, rows), args[3], row.names = FALSE)
