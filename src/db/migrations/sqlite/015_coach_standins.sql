-- 015: stand-ins. A team lead names a coach who stands in for an absent coach from one day until another
-- (both included, YYYY-MM-DD, UTC days like every other date). During that period the stand-in has a
-- coach's grounds on every trajectory the absent coach is assigned to (policy.h: POLICY_SQL_COACH_JOIN
-- and the visibility rule); before and after, none. A stand-in ended early is kept with cancelled_at
-- (history), never deleted.
CREATE TABLE coach_standins (
  id INTEGER PRIMARY KEY,
  coach_id INTEGER NOT NULL REFERENCES users (id),
  stand_in_id INTEGER NOT NULL REFERENCES users (id),
  from_on TEXT NOT NULL,
  until_on TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  cancelled_at BIGINT,
  cancelled_by INTEGER REFERENCES users (id),
  CHECK (coach_id <> stand_in_id),
  CHECK (from_on <= until_on)
);
-- the rule asks "whom does this user stand in for today" and "who stands in for this coach"
CREATE INDEX coach_standins_stand_in ON coach_standins (stand_in_id, coach_id);
CREATE INDEX coach_standins_coach ON coach_standins (coach_id, stand_in_id);
