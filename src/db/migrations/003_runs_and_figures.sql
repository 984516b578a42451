-- 003: model runs, the figures they publish, their warnings, and the per-café distance detail
-- behind kilometres saved (for `cafe-impact explain`).

CREATE TABLE runs (
  run_id VARCHAR PRIMARY KEY,
  period VARCHAR NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  ended_at TIMESTAMPTZ,
  status VARCHAR NOT NULL,            -- running | succeeded | failed
  code_version VARCHAR NOT NULL,
  method_version VARCHAR NOT NULL,
  parameters JSON NOT NULL,
  inputs JSON NOT NULL,               -- [{dataset, file, sha256, load_id}] behind the period's rows
  message VARCHAR
);

-- One row per published figure (see src/figures/types.ts).
CREATE TABLE figures (
  run_id VARCHAR NOT NULL,
  indicator VARCHAR NOT NULL,
  scope VARCHAR NOT NULL,
  scope_id VARCHAR,
  scope_label VARCHAR,
  period VARCHAR NOT NULL,
  value DOUBLE,                       -- unrounded; null when suppressed
  unit VARCHAR NOT NULL,
  ci_low DOUBLE,
  ci_high DOUBLE,
  suppressed BOOLEAN NOT NULL,
  method_version VARCHAR NOT NULL
);

CREATE TABLE run_warnings (
  run_id VARCHAR NOT NULL,
  code VARCHAR NOT NULL,              -- e.g. no_facility, no_position, far_facility, empty_quarter
  subject VARCHAR,                    -- the café, service or quarter concerned
  message VARCHAR NOT NULL
);

-- Nearest alternative per café and service, as used by the run.
CREATE TABLE run_km_detail (
  run_id VARCHAR NOT NULL,
  cafe_id VARCHAR NOT NULL,
  service VARCHAR NOT NULL,
  position_source VARCHAR,
  facility_id VARCHAR,
  facility_source VARCHAR,
  distance_km DOUBLE,
  skipped_self VARCHAR[],
  status VARCHAR NOT NULL,
  uses BIGINT,
  km DOUBLE
);

-- Great-circle distance (haversine) in km on a sphere of radius r km:
-- a = sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2); d = 2 r asin(√a). Same formula as src/geo/haversine.ts.
CREATE MACRO haversine_km(lat1, lon1, lat2, lon2, r) AS
  2 * r * asin(sqrt(
    pow(sin(radians(lat2 - lat1) / 2), 2) +
    cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)
  ));
