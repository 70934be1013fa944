-- 0007_teams: what the team pages and the volunteer page need on top of
-- 0003_outreach: the duration of an act of help (optional, minutes), when
-- an organisation was last changed, and indexes for the queries that read
-- a volunteer's teams, an organisation's teams and a team's members.

ALTER TABLE assists ADD COLUMN minutes INTEGER;
ALTER TABLE organisations ADD COLUMN updated_at BIGINT;
CREATE INDEX team_members_account ON team_members (account_id);
CREATE INDEX teams_org ON teams (org_id);
CREATE INDEX roles_org ON roles (org_id);
CREATE INDEX assists_province_time ON assists (province_code, created_at);
CREATE INDEX organisations_province ON organisations (province_code);
CREATE INDEX teams_province ON teams (province_code);
