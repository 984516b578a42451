-- 001: the load log, rejects, reference lists and the contract's tables (generated from
-- src/contract/datasets.ts by src/db/ddl.ts when this migration was written; frozen since).

-- One row per `ingest` (or reference import, or unload).
CREATE TABLE loads (
  load_id VARCHAR PRIMARY KEY,
  command VARCHAR NOT NULL,           -- ingest | import:<kind> | unload
  period VARCHAR,                     -- 2023 | 2023-Q2
  period_start DATE,
  period_end DATE,                    -- exclusive
  started_at TIMESTAMPTZ NOT NULL,
  ended_at TIMESTAMPTZ,
  status VARCHAR NOT NULL,            -- running | loaded | failed | unloaded | noop
  code_version VARCHAR NOT NULL,
  source VARCHAR,                     -- folder or file given by the user
  options JSON,
  message VARCHAR
);

-- One row per input file of a load.
CREATE TABLE load_files (
  load_id VARCHAR NOT NULL,
  dataset VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 VARCHAR NOT NULL,
  archive_path VARCHAR,               -- content-addressed copy of the raw file
  format VARCHAR NOT NULL,            -- csv | parquet | json | ndjson
  encoding VARCHAR,                   -- utf-8 | utf-8-bom | windows-1252
  delimiter VARCHAR,
  date_format VARCHAR,
  decimal_separator VARCHAR,
  rows_read BIGINT NOT NULL,
  accepted BIGINT NOT NULL,
  rejected BIGINT NOT NULL,
  replaced BIGINT NOT NULL DEFAULT 0, -- rows of earlier loads this file replaced
  status VARCHAR NOT NULL,            -- loaded | unchanged | failed | dry_run
  message VARCHAR,
  PRIMARY KEY (load_id, dataset, file_name)
);

-- Every rejected row: one row per rejected input row (several bad fields are listed in reason).
CREATE TABLE rejects (
  load_id VARCHAR NOT NULL,
  dataset VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL,
  line BIGINT,                        -- physical line, as a text editor shows it
  column_name VARCHAR,                -- first bad column
  raw_value VARCHAR,
  reason VARCHAR NOT NULL,
  raw_line VARCHAR
);

CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);

-- Official lists (from @etalab/decoupage-administratif), refreshed by the tool when the package changes.
CREATE TABLE ref_communes (
  code VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  department VARCHAR,
  region VARCHAR,
  population BIGINT,
  zone VARCHAR
);
-- Every accepted code → the current commune: current codes map to themselves, codes of
-- merged communes (anciensCodes) to the commune they merged into.
CREATE TABLE ref_commune_codes (code VARCHAR PRIMARY KEY, current_code VARCHAR NOT NULL);
CREATE TABLE ref_departments (code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, region VARCHAR NOT NULL);
CREATE TABLE ref_regions (code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL);

-- Survey answers, long format: one row per respondent × item (items come from `questionnaire`).
CREATE TABLE survey_answers (
  respondent_key VARCHAR NOT NULL,
  wave_date DATE NOT NULL,
  item_id VARCHAR NOT NULL,
  value BIGINT,
  _load_id VARCHAR NOT NULL
);

-- SIREN key: Luhn over the 9 digits (every second digit from the right doubled, digits of the product summed).
CREATE MACRO luhn_ok(s) AS (
  coalesce(regexp_full_match(s, '[0-9]{9}') AND
  (list_sum(list_transform(range(9), i ->
     CASE WHEN i % 2 = 1
          THEN (try_cast(substr(s, i + 1, 1) AS INTEGER) * 2) // 10 + (try_cast(substr(s, i + 1, 1) AS INTEGER) * 2) % 10
          ELSE try_cast(substr(s, i + 1, 1) AS INTEGER) END)) % 10 = 0), false)
);

CREATE TABLE "service_uses" (
  "cafe_id" VARCHAR NOT NULL,
  "date" DATE NOT NULL,
  "service" VARCHAR NOT NULL,
  "uses" BIGINT NOT NULL,
  _load_id VARCHAR NOT NULL
);

CREATE TABLE "sales" (
  "cafe_id" VARCHAR NOT NULL,
  "ts" TIMESTAMPTZ NOT NULL,
  "category" VARCHAR NOT NULL,
  "amount_eur" DOUBLE NOT NULL,
  "qty" DOUBLE NOT NULL,
  _load_id VARCHAR NOT NULL
);

CREATE TABLE "participation" (
  "cafe_id" VARCHAR NOT NULL,
  "date" DATE NOT NULL,
  "activity" VARCHAR NOT NULL,
  "person_key" VARCHAR NOT NULL,
  "role" VARCHAR NOT NULL,
  _load_id VARCHAR NOT NULL
);

CREATE TABLE "events" (
  "event_id" VARCHAR NOT NULL,
  "cafe_id" VARCHAR NOT NULL,
  "commune_insee" VARCHAR NOT NULL,
  "date" DATE NOT NULL,
  "kind" VARCHAR NOT NULL,
  "attendance" BIGINT NOT NULL,
  "association_ids" VARCHAR[],
  "producer_ids" VARCHAR[],
  "programme" VARCHAR,
  _load_id VARCHAR NOT NULL
);

CREATE TABLE "suppliers" (
  "cafe_id" VARCHAR NOT NULL,
  "siren" VARCHAR NOT NULL,
  "name" VARCHAR NOT NULL,
  "legal_form" VARCHAR NOT NULL,
  "commune_insee" VARCHAR NOT NULL,
  "lat" DOUBLE,
  "lon" DOUBLE,
  "spend_eur" DOUBLE,
  "last_order_on" DATE,
  _load_id VARCHAR NOT NULL
);

CREATE TABLE "survey" (
  "respondent_key" VARCHAR NOT NULL,
  "commune_insee" VARCHAR NOT NULL,
  "wave_date" DATE NOT NULL,
  "sex" VARCHAR NOT NULL,
  "age_band" VARCHAR NOT NULL,
  _load_id VARCHAR NOT NULL
);

CREATE TABLE "cafes" (
  "cafe_id" VARCHAR NOT NULL,
  "name" VARCHAR NOT NULL,
  "commune_insee" VARCHAR NOT NULL,
  "lat" DOUBLE,
  "lon" DOUBLE,
  "model" VARCHAR NOT NULL,
  "stage" VARCHAR NOT NULL,
  "opened_on" DATE,
  "closed_on" DATE,
  _valid_from DATE,
  _valid_to DATE,
  _load_id VARCHAR NOT NULL,
  _closed_by VARCHAR
);

CREATE TABLE "facilities" (
  "facility_id" VARCHAR NOT NULL,
  "service" VARCHAR NOT NULL,
  "lat" DOUBLE NOT NULL,
  "lon" DOUBLE NOT NULL,
  "commune_insee" VARCHAR,
  "source" VARCHAR NOT NULL,
  "kind" VARCHAR,
  _valid_from DATE,
  _valid_to DATE,
  _load_id VARCHAR NOT NULL,
  _closed_by VARCHAR
);

CREATE TABLE "staff" (
  "cafe_id" VARCHAR NOT NULL,
  "person_key" VARCHAR NOT NULL,
  "start_on" DATE NOT NULL,
  "role" VARCHAR NOT NULL,
  "contract" VARCHAR NOT NULL,
  "fte" DOUBLE NOT NULL,
  "end_on" DATE,
  _valid_from DATE,
  _valid_to DATE,
  _load_id VARCHAR NOT NULL,
  _closed_by VARCHAR
);

CREATE TABLE "candidates" (
  "commune_insee" VARCHAR NOT NULL,
  "applied_on" DATE NOT NULL,
  "outcome" VARCHAR NOT NULL,
  _valid_from DATE,
  _valid_to DATE,
  _load_id VARCHAR NOT NULL,
  _closed_by VARCHAR
);

CREATE TABLE "commune_indicators" (
  "commune_insee" VARCHAR NOT NULL,
  "year" BIGINT NOT NULL,
  "indicator" VARCHAR NOT NULL,
  "value" DOUBLE,
  _valid_from DATE,
  _valid_to DATE,
  _load_id VARCHAR NOT NULL,
  _closed_by VARCHAR
);

CREATE TABLE "commune_positions" (
  "commune_insee" VARCHAR NOT NULL,
  "lat" DOUBLE NOT NULL,
  "lon" DOUBLE NOT NULL,
  "source" VARCHAR NOT NULL,
  _valid_from DATE,
  _valid_to DATE,
  _load_id VARCHAR NOT NULL,
  _closed_by VARCHAR
);

CREATE TABLE "questionnaire" (
  "item_id" VARCHAR NOT NULL,
  "label" VARCHAR NOT NULL,
  "scale_min" BIGINT NOT NULL,
  "scale_max" BIGINT NOT NULL,
  "direction" VARCHAR NOT NULL,
  "dimension" VARCHAR NOT NULL,
  _valid_from DATE,
  _valid_to DATE,
  _load_id VARCHAR NOT NULL,
  _closed_by VARCHAR
);
