-- 023: case reviews of the team (issue 12, part 3): a meeting of the coaches with a chair who rotates (the
-- coach who chaired least recently is proposed), an agenda of trajectories brought in by their own coach,
-- each with a short question and the advice given; the advice is also stored on the trajectory as a coach
-- note (advice_note_item_id). trajectory_team_discussion: the participant consented that their name is
-- shown to all coaches of the team in a review (recorded by a coach, with the date); without it the other
-- coaches see initials and the trajectory number only.
CREATE TABLE case_reviews (
  id INTEGER PRIMARY KEY,
  held_on TEXT NOT NULL,
  chair_user_id INTEGER NOT NULL REFERENCES users (id),
  created_by INTEGER NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX case_reviews_chair ON case_reviews (chair_user_id, held_on);

CREATE TABLE case_review_items (
  id INTEGER PRIMARY KEY,
  review_id INTEGER NOT NULL REFERENCES case_reviews (id) ON DELETE CASCADE,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  brought_by INTEGER NOT NULL REFERENCES users (id),
  question TEXT NOT NULL,
  advice TEXT,
  advice_note_item_id INTEGER REFERENCES items (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX case_review_items_review ON case_review_items (review_id, id);
CREATE INDEX case_review_items_trajectory ON case_review_items (trajectory_id);

CREATE TABLE trajectory_team_discussion (
  trajectory_id INTEGER PRIMARY KEY REFERENCES trajectories (id) ON DELETE CASCADE,
  consented_on TEXT NOT NULL,
  recorded_by INTEGER NOT NULL REFERENCES users (id),
  recorded_at BIGINT NOT NULL
);
