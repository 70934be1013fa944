-- 0019_figures_add_up: figures that add up (issue 19).
--
-- data_deleted_at: when a learner deleted their data; from then on they
-- no longer count as a registered learner (the counters move in the
-- deletion's transaction).  Learners who deleted their data before this
-- step are found by what the deletion leaves.
-- Counters of records in no unit below (a learner with no commune, an
-- assist logged at a province) are now kept under the pseudo-unit
-- "~<code>" beside the unit's children: after this step run
-- `hocvuso indicators rebuild` once so that existing records get them.
ALTER TABLE accounts ADD COLUMN data_deleted_at BIGINT;
UPDATE accounts SET data_deleted_at = updated_at
  WHERE kind = 'learner' AND disabled = 1 AND display_name = '(đã xóa)' AND login IS NULL AND phone IS NULL;
