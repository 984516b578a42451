-- 005: data rows name their load by a number (loads.load_no) instead of its text id. Measured
-- with DuckDB 1.5.6: writing the text load id on every row of a 5 M-row sales file cost ≈ 0.25 s
-- (a CREATE TABLE AS took 1.61–1.72 s with it, 1.38–1.45 s with an integer), and the integer is
-- smaller on disk. `_load` replaces `_load_id`, `_closed` replaces `_closed_by`.

ALTER TABLE loads ADD COLUMN load_no INTEGER;
UPDATE loads SET load_no = n.no FROM (SELECT load_id, row_number() OVER (ORDER BY started_at, load_id) AS no FROM loads) n WHERE n.load_id = loads.load_id;

ALTER TABLE "service_uses" ADD COLUMN _load INTEGER;
UPDATE "service_uses" SET _load = l.load_no FROM loads l WHERE l.load_id = "service_uses"._load_id;
ALTER TABLE "service_uses" DROP COLUMN _load_id;

ALTER TABLE "sales" ADD COLUMN _load INTEGER;
UPDATE "sales" SET _load = l.load_no FROM loads l WHERE l.load_id = "sales"._load_id;
ALTER TABLE "sales" DROP COLUMN _load_id;

ALTER TABLE "participation" ADD COLUMN _load INTEGER;
UPDATE "participation" SET _load = l.load_no FROM loads l WHERE l.load_id = "participation"._load_id;
ALTER TABLE "participation" DROP COLUMN _load_id;

ALTER TABLE "events" ADD COLUMN _load INTEGER;
UPDATE "events" SET _load = l.load_no FROM loads l WHERE l.load_id = "events"._load_id;
ALTER TABLE "events" DROP COLUMN _load_id;

ALTER TABLE "suppliers" ADD COLUMN _load INTEGER;
UPDATE "suppliers" SET _load = l.load_no FROM loads l WHERE l.load_id = "suppliers"._load_id;
ALTER TABLE "suppliers" DROP COLUMN _load_id;

ALTER TABLE "survey" ADD COLUMN _load INTEGER;
UPDATE "survey" SET _load = l.load_no FROM loads l WHERE l.load_id = "survey"._load_id;
ALTER TABLE "survey" DROP COLUMN _load_id;

ALTER TABLE "survey_answers" ADD COLUMN _load INTEGER;
UPDATE "survey_answers" SET _load = l.load_no FROM loads l WHERE l.load_id = "survey_answers"._load_id;
ALTER TABLE "survey_answers" DROP COLUMN _load_id;

ALTER TABLE "cafes" ADD COLUMN _load INTEGER;
ALTER TABLE "cafes" ADD COLUMN _closed INTEGER;
UPDATE "cafes" SET _load = l.load_no FROM loads l WHERE l.load_id = "cafes"._load_id;
UPDATE "cafes" SET _closed = l.load_no FROM loads l WHERE l.load_id = "cafes"._closed_by;
ALTER TABLE "cafes" DROP COLUMN _load_id;
ALTER TABLE "cafes" DROP COLUMN _closed_by;

ALTER TABLE "facilities" ADD COLUMN _load INTEGER;
ALTER TABLE "facilities" ADD COLUMN _closed INTEGER;
UPDATE "facilities" SET _load = l.load_no FROM loads l WHERE l.load_id = "facilities"._load_id;
UPDATE "facilities" SET _closed = l.load_no FROM loads l WHERE l.load_id = "facilities"._closed_by;
ALTER TABLE "facilities" DROP COLUMN _load_id;
ALTER TABLE "facilities" DROP COLUMN _closed_by;

ALTER TABLE "staff" ADD COLUMN _load INTEGER;
ALTER TABLE "staff" ADD COLUMN _closed INTEGER;
UPDATE "staff" SET _load = l.load_no FROM loads l WHERE l.load_id = "staff"._load_id;
UPDATE "staff" SET _closed = l.load_no FROM loads l WHERE l.load_id = "staff"._closed_by;
ALTER TABLE "staff" DROP COLUMN _load_id;
ALTER TABLE "staff" DROP COLUMN _closed_by;

ALTER TABLE "candidates" ADD COLUMN _load INTEGER;
ALTER TABLE "candidates" ADD COLUMN _closed INTEGER;
UPDATE "candidates" SET _load = l.load_no FROM loads l WHERE l.load_id = "candidates"._load_id;
UPDATE "candidates" SET _closed = l.load_no FROM loads l WHERE l.load_id = "candidates"._closed_by;
ALTER TABLE "candidates" DROP COLUMN _load_id;
ALTER TABLE "candidates" DROP COLUMN _closed_by;

ALTER TABLE "commune_indicators" ADD COLUMN _load INTEGER;
ALTER TABLE "commune_indicators" ADD COLUMN _closed INTEGER;
UPDATE "commune_indicators" SET _load = l.load_no FROM loads l WHERE l.load_id = "commune_indicators"._load_id;
UPDATE "commune_indicators" SET _closed = l.load_no FROM loads l WHERE l.load_id = "commune_indicators"._closed_by;
ALTER TABLE "commune_indicators" DROP COLUMN _load_id;
ALTER TABLE "commune_indicators" DROP COLUMN _closed_by;

ALTER TABLE "commune_positions" ADD COLUMN _load INTEGER;
ALTER TABLE "commune_positions" ADD COLUMN _closed INTEGER;
UPDATE "commune_positions" SET _load = l.load_no FROM loads l WHERE l.load_id = "commune_positions"._load_id;
UPDATE "commune_positions" SET _closed = l.load_no FROM loads l WHERE l.load_id = "commune_positions"._closed_by;
ALTER TABLE "commune_positions" DROP COLUMN _load_id;
ALTER TABLE "commune_positions" DROP COLUMN _closed_by;

ALTER TABLE "questionnaire" ADD COLUMN _load INTEGER;
ALTER TABLE "questionnaire" ADD COLUMN _closed INTEGER;
UPDATE "questionnaire" SET _load = l.load_no FROM loads l WHERE l.load_id = "questionnaire"._load_id;
UPDATE "questionnaire" SET _closed = l.load_no FROM loads l WHERE l.load_id = "questionnaire"._closed_by;
ALTER TABLE "questionnaire" DROP COLUMN _load_id;
ALTER TABLE "questionnaire" DROP COLUMN _closed_by;
