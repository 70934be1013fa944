-- 0012_figure_versions: a change counter per unit for what its dashboard
-- shows.  Every transaction that moves a counter of a unit (agg_write.c)
-- adds one to the unit's row, in that transaction; the row with the empty
-- code counts changes that reach every dashboard (population, units,
-- organisations, a rebuild).  A server keeps rendered dashboard parts
-- while both numbers stay the same (views/fragment_cache.c): a write by any
-- process — another app server, the command line — is seen at the next
-- request.
CREATE TABLE figure_versions (
  unit_code TEXT PRIMARY KEY,
  version BIGINT NOT NULL
);
