-- 026: the programme of a trajectory (issue 13, part 7): Zorg & Werk (Flanders) or Werk als Beste Zorg
-- (the Netherlands), chosen per trajectory at registration instead of only through the installation's
-- default template. The programme decides the interface's words for the coach and the participant
-- (bemiddelaar, cliënt in Werk als Beste Zorg) and whether the faster route of Werk als Beste Zorg (from
-- the start straight on to searching for work and the placement) is open.

-- Every template belongs to a programme: the shipped ones by their approach; a custom copy gets its
-- source's programme when it is made (store/protocol.c); custom templates made before this migration did
-- not record their source and count as Zorg & Werk until an administrator copies them again.
ALTER TABLE protocol_templates ADD COLUMN programme TEXT NOT NULL DEFAULT 'zorg_en_werk'
  CHECK (programme IN ('zorg_en_werk', 'werk_als_beste_zorg'));
UPDATE protocol_templates SET programme = 'werk_als_beste_zorg' WHERE approach = 'werk_als_beste_zorg';

-- The trajectory's programme. Existing trajectories keep the programme of the template they follow; one
-- without a template gets the installation's, the programme of the default template.
ALTER TABLE trajectories ADD COLUMN programme TEXT NOT NULL DEFAULT 'zorg_en_werk'
  CHECK (programme IN ('zorg_en_werk', 'werk_als_beste_zorg'));
UPDATE trajectories SET programme = COALESCE(
  (SELECT pt.programme FROM protocol_templates pt WHERE pt.id = trajectories.protocol_template_id),
  (SELECT pt.programme FROM protocol_templates pt WHERE pt.is_default = 1),
  'zorg_en_werk');
