-- 0010_units_level: the national figures read the provinces' aggregates by
-- unit level; without this index the planner may scan every aggregate row.
CREATE INDEX units_level ON units (level);

-- Aggregates are read by primary-key ranges (a unit's indicators for a
-- period): in SQLite a table clustered on its key answers them without a
-- second lookup per row.  (PostgreSQL: the same tables, unchanged.)
CREATE TABLE agg_new (
  unit_code TEXT NOT NULL,
  period TEXT NOT NULL,
  indicator TEXT NOT NULL,
  value BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (unit_code, period, indicator)
) @CLUSTERED@;
INSERT INTO agg_new SELECT unit_code, period, indicator, value, updated_at FROM agg;
DROP TABLE agg;
ALTER TABLE agg_new RENAME TO agg;
CREATE TABLE agg_seen_new (
  unit_code TEXT NOT NULL,
  period TEXT NOT NULL,
  indicator TEXT NOT NULL,
  item TEXT NOT NULL,
  n BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (unit_code, period, indicator, item)
) @CLUSTERED@;
INSERT INTO agg_seen_new SELECT unit_code, period, indicator, item, n FROM agg_seen;
DROP TABLE agg_seen;
ALTER TABLE agg_seen_new RENAME TO agg_seen;
