-- 007: the population margins survey weights are raked to, and room on every figure for its
-- uncertainty: the standard error, the number of respondents or observations behind it, and the
-- level of its interval (0.95 for a survey mean, 0.90 for the well-being index). Null where they
-- do not apply (counts and sums of the network's own records).

CREATE TABLE "population" (
  "commune_insee" VARCHAR NOT NULL,
  "year" BIGINT NOT NULL,
  "sex" VARCHAR NOT NULL,
  "age_band" VARCHAR NOT NULL,
  "population" DOUBLE NOT NULL,
  _valid_from DATE,
  _valid_to DATE,
  _load INTEGER,
  _closed INTEGER
);

ALTER TABLE figures ADD COLUMN se DOUBLE;
ALTER TABLE figures ADD COLUMN n BIGINT;
ALTER TABLE figures ADD COLUMN ci_level DOUBLE;
