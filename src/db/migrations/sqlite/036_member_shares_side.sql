-- A network member who takes part in their side (shares_side = 1, every member until now) receives what the
-- participant shared with the whole side, sees the other members of that side and is seen by them. The
-- contact person of an employer that a proposal reached (issue 13) does not: that member receives only the
-- consents given to them by name, sees no other member of the work side and is seen by none of them, so that
-- a prospective employer learns nothing beyond what the participant agreed to show, and the current employer
-- does not learn of the proposal.
ALTER TABLE network_members ADD COLUMN shares_side INTEGER NOT NULL DEFAULT 1 CHECK (shares_side IN (0, 1));

-- employer contacts made members by a proposal before this migration
UPDATE network_members SET shares_side = 0
 WHERE role = 'employer' AND id IN (SELECT member_id FROM proposals WHERE member_id IS NOT NULL);
