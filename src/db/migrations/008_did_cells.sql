-- 008: the difference-in-differences behind each did.<outcome> figure of a run (for `explain`):
-- the TWFE estimate, the group-time effects ATT(g,t), their aggregations (att_simple, the event
-- study) and the parallel-trends test.

CREATE TABLE run_did_cells (
  run_id VARCHAR NOT NULL,
  indicator VARCHAR NOT NULL,         -- did.<outcome>
  kind VARCHAR NOT NULL,              -- twfe | att_simple | att_gt | event | pretrend
  cohort INTEGER,                     -- att_gt: opening year g
  year INTEGER,                       -- att_gt: year t
  event_time INTEGER,                 -- event: t − g
  att DOUBLE,                         -- the estimate (pretrend: the Wald statistic)
  se DOUBLE,
  n_treated INTEGER,                  -- treated communes (att_gt: in the cell)
  n_control INTEGER,                  -- control communes
  note VARCHAR                        -- pretrend: its degrees of freedom and p-value
);
