-- 0004_measure: indicator aggregates kept up to date in the same
-- transaction as each record (never typed in), per unit and period
-- (a year '2026' or a quarter '2026Q4'), rolled up commune → province →
-- nation; agg_seen makes "distinct" indicators count each key once.

CREATE TABLE agg (
  unit_code TEXT NOT NULL,
  period TEXT NOT NULL,
  indicator TEXT NOT NULL,
  value BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (unit_code, period, indicator)
);

CREATE TABLE agg_seen (
  unit_code TEXT NOT NULL,
  period TEXT NOT NULL,
  indicator TEXT NOT NULL,
  item TEXT NOT NULL,
  PRIMARY KEY (unit_code, period, indicator, item)
);
