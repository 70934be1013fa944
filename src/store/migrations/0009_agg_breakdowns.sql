-- 0009_agg_breakdowns: reference counts for "distinct" indicators (so that
-- deleting a record can un-count a person), the organisation an assist
-- counts for (its volunteer's team's, fixed when logged), and the group a
-- learner belongs to (civil servant, pupil …) for the certified-share
-- indicators.  Anonymous people helped are counted per assist and need no
-- seen-set rows; people certified are decided from the completions
-- themselves (first of the period), so their seen-sets go too.

ALTER TABLE agg_seen ADD COLUMN n BIGINT NOT NULL DEFAULT 1;
DELETE FROM agg_seen WHERE indicator = 'people_helped' AND item LIKE 'a:%';
DELETE FROM agg_seen WHERE indicator = 'people_certified';
ALTER TABLE assists ADD COLUMN org_id BIGINT;
ALTER TABLE accounts ADD COLUMN person_group TEXT;
