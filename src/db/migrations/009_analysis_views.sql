-- 009: a warehouse for analysis. Which run and period each model table holds (run_models,
-- written by every successful run), and stable views: the latest successful run's figures per
-- period, the current cafés, the survey answers in long form with their questionnaire items, the
-- model tables with the run that built them. Descriptions: src/db/descriptions.ts.

CREATE TABLE run_models (
  run_id VARCHAR NOT NULL,
  period VARCHAR NOT NULL,
  model VARCHAR NOT NULL,
  layer VARCHAR NOT NULL,
  rows BIGINT,
  ms DOUBLE
);

CREATE VIEW v_figures_latest AS
SELECT f.* FROM figures f
JOIN (SELECT run_id FROM runs WHERE status = 'succeeded'
      QUALIFY row_number() OVER (PARTITION BY period ORDER BY started_at DESC, run_id DESC) = 1) l
  ON l.run_id = f.run_id;

-- columns listed (DuckDB prints an EXCLUDE list in no fixed order)
CREATE VIEW v_cafes_current AS
SELECT cafe_id, name, commune_insee, lat, lon, model, stage, opened_on, closed_on, _load FROM cafes WHERE _valid_to IS NULL;

CREATE VIEW v_survey_answers AS
SELECT a.respondent_key, s.commune_insee, a.wave_date, s.sex, s.age_band, a.item_id, a.value,
       q.label, q.scale_min, q.scale_max, q.direction, q.dimension
FROM survey_answers a
JOIN survey s ON s.respondent_key = a.respondent_key AND s.wave_date = a.wave_date
LEFT JOIN questionnaire q ON q.item_id = a.item_id AND q._valid_to IS NULL;

CREATE VIEW v_model_tables AS
SELECT m.model, m.layer, m.run_id, m.period, r.started_at, m.rows
FROM run_models m JOIN runs r ON r.run_id = m.run_id
QUALIFY row_number() OVER (PARTITION BY m.model ORDER BY r.started_at DESC, m.run_id DESC) = 1;
