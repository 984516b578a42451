-- 002: sales.ts becomes Europe/Paris wall-clock TIMESTAMP (was TIMESTAMPTZ). Periods are Paris
-- calendar dates; storing the Paris time avoids a time-zone conversion per row on tens of
-- millions of sales lines, at ingestion and in every query.
ALTER TABLE sales ALTER ts SET DATA TYPE TIMESTAMP USING timezone('Europe/Paris', ts);
