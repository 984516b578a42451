-- 006: readers of the warehouse file never see an unfinished load. A dated file's rows are
-- written as rows of a pending load before the load commits (src/ingest/ingest.ts); a process
-- killed in between leaves them until the next cafe-impact command deletes them. A reader that
-- opens the file in that window (read-only, from Python or R) would count them twice. So the
-- rows live in `_rows_<dataset>` and `<dataset>` is a view of the committed ones: rows of the
-- load named by meta.pending_load (committed before its first row is written) are hidden, and
-- so are rows marked as rejected while they are checked (negative load numbers).

ALTER TABLE "service_uses" RENAME TO "_rows_service_uses";
CREATE VIEW "service_uses" AS SELECT * FROM "_rows_service_uses"
  WHERE _load > 0 AND _load <> (SELECT coalesce(max(TRY_CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'pending_load');

ALTER TABLE "sales" RENAME TO "_rows_sales";
CREATE VIEW "sales" AS SELECT * FROM "_rows_sales"
  WHERE _load > 0 AND _load <> (SELECT coalesce(max(TRY_CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'pending_load');

ALTER TABLE "participation" RENAME TO "_rows_participation";
CREATE VIEW "participation" AS SELECT * FROM "_rows_participation"
  WHERE _load > 0 AND _load <> (SELECT coalesce(max(TRY_CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'pending_load');

ALTER TABLE "events" RENAME TO "_rows_events";
CREATE VIEW "events" AS SELECT * FROM "_rows_events"
  WHERE _load > 0 AND _load <> (SELECT coalesce(max(TRY_CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'pending_load');

ALTER TABLE "suppliers" RENAME TO "_rows_suppliers";
CREATE VIEW "suppliers" AS SELECT * FROM "_rows_suppliers"
  WHERE _load > 0 AND _load <> (SELECT coalesce(max(TRY_CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'pending_load');

ALTER TABLE "survey" RENAME TO "_rows_survey";
CREATE VIEW "survey" AS SELECT * FROM "_rows_survey"
  WHERE _load > 0 AND _load <> (SELECT coalesce(max(TRY_CAST(value AS INTEGER)), 0) FROM meta WHERE key = 'pending_load');
