#!/usr/bin/env Rscript
# Reference values for test/geo/haversine.test.ts and test/geo/nearest.test.ts, computed with an
# independent implementation: R geosphere::distHaversine (2·atan2(√a, √(1−a))·r), r = 6371008.8 m
# (mean Earth radius), on commune centroids read from the shared open-data samples.
#
# Run:   apt-get install -y r-base-core r-cran-geosphere && Rscript test/reference/haversine.R
#        (SHARED_DATA_DIR overrides ../shared/data, as in test/helpers/shared-data.ts)
# Output (R 4.2.2, geosphere 1.5.18) is pasted at the end of this file and into the tests.
suppressPackageStartupMessages(library(geosphere))
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
shared <- Sys.getenv("SHARED_DATA_DIR", file.path(here, "..", "..", "..", "shared", "data"))
R_M <- 6371008.8

# Centroids. Paris 75056 and Marseille 13055 are not COM rows of the 2024 file (it lists their
# arrondissements), so they come from the Admin Express 2018 centroids file.
c24 <- read.csv(file.path(shared, "communes", "communes_france_2024.csv"), colClasses = "character")
c18 <- read.csv(file.path(shared, "communes", "communes_centroids_adminexpress2018.csv"), colClasses = "character")
pt24 <- function(code) { r <- c24[c24$code_insee == code, ]; stopifnot(nrow(r) == 1); c(as.numeric(r$lon), as.numeric(r$lat)) }
pt18 <- function(code) { r <- c18[c18$code_insee == code, ]; stopifnot(nrow(r) == 1); c(as.numeric(r$lon), as.numeric(r$lat)) }

sd <- pt24("52448")  # Saint-Dizier
pairs <- list(
  list("Saint-Dizier 52448 - Bettancourt-la-Ferree 52045", sd, pt24("52045")),
  list("Saint-Dizier 52448 - Chancenay 52104", sd, pt24("52104")),
  list("Saint-Dizier 52448 - Valcourt 52500", sd, pt24("52500")),
  list("Saint-Dizier 52448 - Hallignicourt 52235", sd, pt24("52235")),
  list("Saint-Dizier 52448 - Ancerville 55010", sd, pt24("55010")),
  list("Paris 75056 - Marseille 13055 (2018 centroids)", pt18("75056"), pt18("13055")),
  list("Paris 1er 75101 - Marseille 1er 13201", pt24("75101"), pt24("13201")),
  # About 50 m apart: Saint-Dizier's centroid moved 0.00045 deg north, then 0.00068 deg east.
  list("Saint-Dizier 52448 - 0.00045 deg north", sd, sd + c(0, 0.00045)),
  list("Saint-Dizier 52448 - 0.00068 deg east", sd, sd + c(0.00068, 0))
)
cat("# pairs: what | lat1, lon1, lat2, lon2 | distance km\n")
for (p in pairs) {
  d <- distHaversine(p[[2]], p[[3]], r = R_M) / 1000
  cat(sprintf("%s | %.5f, %.5f, %.5f, %.5f | %.12f\n", p[[1]], p[[2]][2], p[[2]][1], p[[3]][2], p[[3]][1], d))
}

# Nearest La Poste contact point from a commune centroid, excluding points within 50 m (the café
# itself). Points kept as src/reference/laposte.ts does: pays FRANCE, code_insee not 99xxx.
lp <- read.csv(file.path(shared, "facilities", "laposte_points_contact_2025.csv"), colClasses = "character")
lp <- lp[lp$pays == "FRANCE" & !startsWith(lp$code_insee, "99"), ]
P <- cbind(as.numeric(lp$longitude), as.numeric(lp$latitude))
cat(sprintf("# La Poste points kept: %d\n", nrow(lp)))
cat("# nearest: commune | lat, lon | within 50 m (id km) | nearest beyond 50 m (id type km) | second beyond 50 m (id km)\n")
for (code in c("53093", "52235")) {
  o <- pt24(code)
  d <- distHaversine(o, P, r = R_M) / 1000
  self <- which(d <= 0.05)
  other <- which(d > 0.05)
  other <- other[order(d[other], lp$identifiant_a[other])]
  b <- other[1]; b2 <- other[2]
  cat(sprintf("%s %s | %.5f, %.5f | %s | %s %s %.12f | %s %.12f\n",
              code, c24$nom[c24$code_insee == code], o[2], o[1],
              if (length(self)) paste(sprintf("%s %.12f", lp$identifiant_a[self], d[self]), collapse = "; ") else "none",
              lp$identifiant_a[b], lp$caracteristique_du_site[b], d[b], lp$identifiant_a[b2], d[b2]))
}

# Output (R 4.2.2 Patched, geosphere 1.5.18):
#   # pairs: what | lat1, lon1, lat2, lon2 | distance km
#   Saint-Dizier 52448 - Bettancourt-la-Ferree 52045 | 48.63192, 4.93986, 48.65785, 4.97086 | 3.674312524945
#   Saint-Dizier 52448 - Chancenay 52104 | 48.63192, 4.93986, 48.67357, 4.97722 | 5.383340017274
#   Saint-Dizier 52448 - Valcourt 52500 | 48.63192, 4.93986, 48.61146, 4.91167 | 3.077215145260
#   Saint-Dizier 52448 - Hallignicourt 52235 | 48.63192, 4.93986, 48.64739, 4.87272 | 5.224545792616
#   Saint-Dizier 52448 - Ancerville 55010 | 48.63192, 4.93986, 48.63913, 5.02661 | 6.424857634296
#   Paris 75056 - Marseille 13055 (2018 centroids) | 48.85661, 2.34280, 43.29164, 5.42050 | 662.630554960037
#   Paris 1er 75101 - Marseille 1er 13201 | 48.86200, 2.33594, 43.30018, 5.38276 | 661.445978293685
#   Saint-Dizier 52448 - 0.00045 deg north | 48.63192, 4.93986, 48.63237, 4.93986 | 0.050037786106
#   Saint-Dizier 52448 - 0.00068 deg east | 48.63192, 4.93986, 48.63192, 4.94054 | 0.049971939818
#   # La Poste points kept: 17963
#   # nearest: commune | lat, lon | within 50 m (id km) | nearest beyond 50 m (id type km) | second beyond 50 m (id km)
#   53093 La Dorée | 48.44895, -0.96486 | 09654A 0.010043878884 | 09659A Bureau de Poste 3.003153545019 | 09722A 4.217495838203
#   52235 Hallignicourt | 48.64739, 4.87272 | none | 09593A Agence postale communale 2.993791064636 | 09564A 3.699040530477
