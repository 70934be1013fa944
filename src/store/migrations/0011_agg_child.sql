-- 0011_agg_child: every counter again under its unit's parent (provinces
-- under 'VN'), clustered on (parent, period, indicator, unit): the units
-- below a province are then one range of rows for the dashboard, not one
-- primary-key read per ward and indicator.  Written in the same
-- transaction as agg (agg_write.c); indicators verify compares both.
CREATE TABLE agg_child (
  parent_code TEXT NOT NULL,
  period TEXT NOT NULL,
  indicator TEXT NOT NULL,
  unit_code TEXT NOT NULL,
  value BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (parent_code, period, indicator, unit_code)
) @CLUSTERED@;
INSERT INTO agg_child (parent_code, period, indicator, unit_code, value, updated_at)
  SELECT COALESCE(u.parent_code, 'VN'), a.period, a.indicator, a.unit_code, a.value, a.updated_at
  FROM agg a JOIN units u ON u.code = a.unit_code WHERE u.level <> 'nation';
