-- 003: phase protocols (checklist templates the administrator edits, the steps of each trajectory copied
-- from its template), the phase history of a trajectory, and the closure fields.
-- Times are unix seconds (BIGINT) in UTC; calendar dates are TEXT 'YYYY-MM-DD'.

-- A protocol template: the checklist of steps per phase. The two shipped ones follow the Flemish
-- Zorg & Werk approach and the Dutch Werk als Beste Zorg approach; administrators copy them into custom
-- ones. The default template (one at most) is used for trajectories that start without a template.
CREATE TABLE protocol_templates (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  approach TEXT NOT NULL CHECK (approach IN ('zorg_en_werk', 'werk_als_beste_zorg', 'custom')),
  active INTEGER NOT NULL DEFAULT 1,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT
);
CREATE UNIQUE INDEX protocol_templates_name ON protocol_templates (name);
CREATE UNIQUE INDEX protocol_templates_one_default ON protocol_templates (is_default) WHERE is_default = 1;

-- One step of a template, in order within its phase.
CREATE TABLE protocol_steps (
  id INTEGER PRIMARY KEY,
  template_id INTEGER NOT NULL REFERENCES protocol_templates (id) ON DELETE CASCADE,
  phase TEXT NOT NULL CHECK (phase IN ('registration', 'intake', 'exploration', 'consultation',
                                       'action_plan', 'follow_up', 'aftercare', 'closure')),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  required INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX protocol_steps_template ON protocol_steps (template_id, phase, position);

-- The steps of one trajectory: copied from its template when the protocol starts (later edits of the
-- template do not change them), or added by the coach with a reason. Skipping needs a reason too.
CREATE TABLE trajectory_steps (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  phase TEXT NOT NULL CHECK (phase IN ('registration', 'intake', 'exploration', 'consultation',
                                       'action_plan', 'follow_up', 'aftercare', 'closure')),
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  required INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
  skip_reason TEXT,
  added_by_coach INTEGER NOT NULL DEFAULT 0,
  added_reason TEXT,
  added_by INTEGER REFERENCES users (id),
  done_at BIGINT,
  done_by INTEGER REFERENCES users (id),
  updated_at BIGINT,
  CHECK (status <> 'skipped' OR skip_reason IS NOT NULL),
  CHECK (added_by_coach = 0 OR added_reason IS NOT NULL)
);
CREATE INDEX trajectory_steps_trajectory ON trajectory_steps (trajectory_id, phase, position);

-- Each stay of a trajectory in a phase. kind says how it was entered; reason is required when moving on
-- with open required steps, moving back and reopening; a closure row holds the outcome as recorded then
-- (the trajectory's own closure fields are cleared when it is reopened, the history keeps them).
CREATE TABLE phase_history (
  id INTEGER PRIMARY KEY,
  trajectory_id INTEGER NOT NULL REFERENCES trajectories (id) ON DELETE CASCADE,
  phase TEXT NOT NULL CHECK (phase IN ('registration', 'intake', 'exploration', 'consultation',
                                       'action_plan', 'follow_up', 'aftercare', 'closure')),
  kind TEXT NOT NULL CHECK (kind IN ('start', 'forward', 'back', 'close', 'reopen', 'sync')),
  entered_on TEXT NOT NULL,
  left_on TEXT,
  entered_by INTEGER REFERENCES users (id),
  reason TEXT,
  outcome TEXT,
  hours_per_week_tenths INTEGER,
  created_at BIGINT NOT NULL
);
CREATE INDEX phase_history_trajectory ON phase_history (trajectory_id, id);

ALTER TABLE trajectories ADD COLUMN protocol_template_id INTEGER REFERENCES protocol_templates (id);
ALTER TABLE trajectories ADD COLUMN hours_per_week_tenths INTEGER;

-- ---- shipped content (Dutch, shown as is) ----

INSERT INTO protocol_templates (id, name, approach, active, is_default, created_at)
VALUES (1, 'Zorg & Werk (Vlaanderen)', 'zorg_en_werk', 1, 1, CAST(strftime('%s', 'now') AS INTEGER));
INSERT INTO protocol_templates (id, name, approach, active, is_default, created_at)
VALUES (2, 'Werk als Beste Zorg (Nederland)', 'werk_als_beste_zorg', 1, 0, CAST(strftime('%s', 'now') AS INTEGER));

INSERT INTO protocol_steps (template_id, phase, position, text, required) VALUES
  (1, 'registration', 1, 'Aanmelding ontvangen: wie verwijst door en met welke vraag', 1),
  (1, 'registration', 2, 'Werkgever en eerste dag van afwezigheid noteren', 1),
  (1, 'registration', 3, 'Toestemming van de deelnemer om het traject te starten vastleggen', 1),
  (1, 'registration', 4, 'Eerste afspraak voor het kennismakingsgesprek plannen', 0),
  (1, 'intake', 1, 'Kennismakingsgesprek: verhaal en doelen van de deelnemer', 1),
  (1, 'intake', 2, 'Netwerk in kaart brengen (zorg en werk)', 1),
  (1, 'intake', 3, 'Uitleg over toestemming: wie mag welke informatie zien', 1),
  (1, 'intake', 4, 'Afspraken maken over bereikbaarheid en contactmomenten', 0),
  (1, 'intake', 5, 'Nagaan of de deelnemer een zicht heeft op mogelijkheden en werkgever (anders doorverwijzen naar loopbaanbegeleiding)', 0),
  (1, 'exploration', 1, 'Eerstelijnsdiagnose: mogelijkheden en sterktes van de deelnemer in kaart brengen', 1),
  (1, 'exploration', 2, 'Vragenlijsten en sterkte-inventaris afnemen', 0),
  (1, 'exploration', 3, 'Werksituatie analyseren: taken, werkplek en belasting', 1),
  (1, 'exploration', 4, 'Noden en bezorgdheden van de werkgever bevragen', 1),
  (1, 'exploration', 5, 'Informatie geven over ondersteunende maatregelen', 0),
  (1, 'consultation', 1, 'Overleg voorbereiden met de deelnemer: wat wordt gedeeld en met wie', 1),
  (1, 'consultation', 2, 'Overleg met de zorgpartners', 0),
  (1, 'consultation', 3, 'Overleg met werkgever of leidinggevende (samen of apart)', 1),
  (1, 'consultation', 4, 'Verslag van het overleg delen volgens de gegeven toestemming', 1),
  (1, 'action_plan', 1, 'SMART-doelen opstellen samen met de deelnemer', 1),
  (1, 'action_plan', 2, 'Acties met eigenaar uit het netwerk en een termijn vastleggen', 1),
  (1, 'action_plan', 3, 'Actieplan laten bevestigen door deelnemer en betrokken partijen', 1),
  (1, 'action_plan', 4, 'Aanpassingen op de werkvloer afspreken met de werkgever', 0),
  (1, 'follow_up', 1, 'Regelmatige opvolggesprekken met de deelnemer', 1),
  (1, 'follow_up', 2, 'Evaluatiegesprek met de werkgever', 1),
  (1, 'follow_up', 3, 'Progressieve werkhervatting opvolgen en bijsturen', 0),
  (1, 'follow_up', 4, 'Actieplan bijsturen waar nodig (nieuwe versie)', 0),
  (1, 'follow_up', 5, 'Doorverwijzing naar gespecialiseerde hulp overwegen als de noden het eerstelijnsaanbod overstijgen', 0),
  (1, 'aftercare', 1, 'Opvolgcontact na de werkhervatting op afgesproken tijdstippen', 1),
  (1, 'aftercare', 2, 'Duurzaamheid nagaan: kan de deelnemer problemen zelf aanpakken met het netwerk', 1),
  (1, 'aftercare', 3, 'Contact met de werkgever over het verloop', 0),
  (1, 'closure', 1, 'Afsluitend gesprek met de deelnemer', 0),
  (1, 'closure', 2, 'Partijen informeren over de afsluiting', 0),
  (1, 'closure', 3, 'Resultaat en uren per week bij afsluiting registreren', 0);

INSERT INTO protocol_steps (template_id, phase, position, text, required) VALUES
  (2, 'registration', 1, 'Aanmelding door GGZ-behandelaar of uitkeringsinstantie ontvangen', 1),
  (2, 'registration', 2, 'Bemiddelaar toewijzen die de regie houdt tot en met de begeleiding op het werk', 1),
  (2, 'registration', 3, 'Toestemming van de cliënt vastleggen', 1),
  (2, 'intake', 1, 'Intakegesprek door de bemiddelaar: werkwensen en mogelijkheden van de cliënt', 1),
  (2, 'intake', 2, 'Netwerk in kaart brengen: behandelaar, uitkeringsinstantie, werkgever', 1),
  (2, 'intake', 3, 'Afspraken over bereikbaarheid en contact met de cliënt', 0),
  (2, 'exploration', 1, 'Mogelijkheden en werkervaring van de cliënt in kaart brengen', 1),
  (2, 'exploration', 2, 'Passende werkgevers zoeken: actieve matching van cliënt en werkgever', 1),
  (2, 'exploration', 3, 'Verdiepen in het bedrijf: werkprocessen, cultuur en wat de werkgever kan bieden', 1),
  (2, 'exploration', 4, 'Ondersteuning bij sollicitatie (cv, sollicitatiegesprek)', 0),
  (2, 'consultation', 1, 'Casuïstiekbespreking met roulerende voorzitter', 1),
  (2, 'consultation', 2, 'Afstemming tussen GGZ-behandelaar en bemiddelaar over zorg en werk', 1),
  (2, 'consultation', 3, 'Relevante gebeurtenissen aan de betrokken professionals melden', 0),
  (2, 'action_plan', 1, 'Plan met doelen en acties opstellen met de cliënt', 1),
  (2, 'action_plan', 2, 'Proefplaatsing voorbereiden met de werkgever', 1),
  (2, 'action_plan', 3, 'Eén contactpersoon voor de werkgever afspreken', 1),
  (2, 'follow_up', 1, 'Proefplaatsing starten en opvolgen', 1),
  (2, 'follow_up', 2, 'Evaluatiegesprek met de werkgever', 1),
  (2, 'follow_up', 3, 'Besluit over indiensttreding na de proefplaatsing', 0),
  (2, 'follow_up', 4, 'Jobcoaching na plaatsing inzetten', 1),
  (2, 'aftercare', 1, 'Jobcoaching na plaatsing voortzetten en afbouwen', 1),
  (2, 'aftercare', 2, 'Regelmatig evaluatiegesprek met de werkgever', 0),
  (2, 'aftercare', 3, 'Terugval tijdig signaleren en melden aan de behandelaar', 0),
  (2, 'closure', 1, 'Afsluitend gesprek met de cliënt', 0),
  (2, 'closure', 2, 'Werkgever en betrokken professionals informeren', 0),
  (2, 'closure', 3, 'Uitkomst voor de evaluatie registreren (werk en uren per week)', 0);

-- Existing trajectories follow the Zorg & Werk template from here on: its steps are copied now (all open)
-- and their current phase becomes the first row of their history.
UPDATE trajectories SET protocol_template_id = 1;
INSERT INTO trajectory_steps (trajectory_id, phase, position, text, required)
  SELECT t.id, s.phase, s.position, s.text, s.required FROM trajectories t JOIN protocol_steps s ON s.template_id = 1;
INSERT INTO phase_history (trajectory_id, phase, kind, entered_on, created_at)
  SELECT id, phase, 'start', phase_since, CAST(strftime('%s', 'now') AS INTEGER) FROM trajectories;

-- A trajectory's protocol starts with the trajectory, whichever code inserts it: the steps of its template
-- (or, when none is named, of the default template) are copied and its first stay is opened. Later edits
-- of the template therefore never reach trajectories that have started. (protocol.c's protocol_start does
-- the same for a trajectory that has no history yet; a PostgreSQL schema needs the equivalent trigger.)
CREATE TRIGGER trajectories_protocol_start AFTER INSERT ON trajectories
WHEN NOT EXISTS (SELECT 1 FROM phase_history WHERE trajectory_id = NEW.id)
BEGIN
  UPDATE trajectories SET protocol_template_id = COALESCE(NEW.protocol_template_id,
    (SELECT id FROM protocol_templates WHERE active = 1 ORDER BY is_default DESC, id LIMIT 1))
    WHERE id = NEW.id;
  INSERT INTO trajectory_steps (trajectory_id, phase, position, text, required)
    SELECT NEW.id, s.phase, s.position, s.text, s.required FROM protocol_steps s
    WHERE s.template_id = (SELECT protocol_template_id FROM trajectories WHERE id = NEW.id);
  INSERT INTO phase_history (trajectory_id, phase, kind, entered_on, created_at)
    VALUES (NEW.id, NEW.phase, 'start', NEW.phase_since, NEW.created_at);
END;
