# Reference for `cafe-impact export panel` + `cafe-impact did`: R reads the exported CSV panel and
# estimates the difference-in-differences itself (lm with commune and year dummies, CR1 SE).
# Rscript test/reference/panel-did.R <panel.csv> <outcome column> <out.csv>
suppressMessages({ library(sandwich) })
args <- commandArgs(TRUE)
d <- read.csv(args[1], colClasses = c(commune_insee = "character"), na.strings = "")
y <- args[2]
d <- d[d$did_sample == 1 & !is.na(d[[y]]), ]
# cohorts with no observed year before their opening are left out, as `cafe-impact did` does
first <- tapply(d$year, d$cohort, min)
bad <- as.numeric(names(first)[first >= as.numeric(names(first))])
d <- d[is.na(d$cohort) | !(d$cohort %in% bad), ]
m <- lm(as.formula(paste(y, "~ treated + factor(commune_insee) + factor(year)")), data = d)
v <- vcovCL(m, cluster = ~commune_insee, type = "HC1")
write.csv(data.frame(estimate = sprintf("%.17g", coef(m)[["treated"]]), se = sprintf("%.17g", sqrt(v["treated", "treated"])), n = nrow(d), clusters = length(unique(d$commune_insee))), args[3], row.names = FALSE)
