-- 009: the knowledge base of measures (maatregelen): plain-language articles for participants and
-- employers about gradual return, workplace adjustments, trial placement, job coaching, the conversation
-- about what to share, and the support schemes of the agencies. The administrator maintains them; every
-- signed-in user reads the published ones. Articles are not case information.
--
-- An article is linked from an action plan by its slug (plan_actions.measure_slug holds it, without a
-- foreign key: a slug with no published article is shown as plain text).
-- Language rule: the Dutch title and body are required; the English ones are optional and come as a pair.
-- A reader in English sees the Dutch text, marked as such, when there is no English text.
-- Times are unix seconds (BIGINT) in UTC; updated_by is NULL for the articles shipped here.

CREATE TABLE measures (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL,
  audience TEXT NOT NULL CHECK (audience IN ('participant', 'employer', 'both')),
  title_nl TEXT NOT NULL,
  body_nl TEXT NOT NULL,
  title_en TEXT,
  body_en TEXT,
  published INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1)),
  updated_at BIGINT NOT NULL,
  updated_by INTEGER REFERENCES users (id),
  CHECK ((title_en IS NULL) = (body_en IS NULL))
);
CREATE UNIQUE INDEX measures_slug ON measures (slug);

-- ---- shipped articles (written for zorgwerk; 2026-11-23) ----

INSERT INTO measures (slug, audience, title_nl, body_nl, title_en, body_en, published, updated_at) VALUES (
'gradual-return', 'both',
'Geleidelijk terug aan het werk',
'Na een periode van afwezigheid is het vaak te veel om meteen weer voltijds te werken. Een geleidelijke terugkeer geeft je lichaam en je hoofd de tijd om te wennen. Je begint met minder uren of lichtere taken en bouwt stap voor stap op.

## Hoe gaat dat in zijn werk?

- Je spreekt samen met je werkgever af met hoeveel uren je begint en hoe snel je opbouwt.
- Jullie plannen vaste momenten om te bekijken hoe het gaat. Gaat het vlotter dan verwacht, dan kan je sneller opbouwen. Gaat het moeilijker, dan pas je het tempo aan. Dat is geen mislukking: het hoort erbij.
- Je coach helpt om de afspraken duidelijk op te schrijven in je actieplan.

## In Vlaanderen: gedeeltelijke werkhervatting

Ben je arbeidsongeschikt en krijg je een uitkering van je ziekenfonds (mutualiteit)? Dan kan je vaak deeltijds of progressief het werk hervatten en een deel van je uitkering behouden. Daarvoor heb je de toestemming van de adviserend arts van je ziekenfonds nodig. Vraag die toestemming aan voor je begint, en laat het ziekenfonds ook weten wanneer de afspraken veranderen. Ook de arbeidsarts van je werkgever kan betrokken zijn, bijvoorbeeld in een re-integratietraject.

## In Nederland: opbouw van uren

Tijdens de re-integratie bouw je je uren stap voor stap op. De bedrijfsarts adviseert over wat je aankunt; jij en je werkgever leggen de afspraken vast in het plan van aanpak en passen het aan wanneer dat nodig is. Heb je geen werkgever meer, dan bespreek je de opbouw met je contactpersoon bij het UWV.

## Goed om te weten

Regels, formulieren en termijnen veranderen af en toe en hangen af van je situatie. Vraag daarom altijd bij je ziekenfonds of bij het UWV na hoe het op dit moment voor jou werkt.',
'Gradual return to work',
'After a period off work, going straight back to full days is often too much. A gradual return gives your body and mind time to adjust. You start with fewer hours or lighter tasks and build up step by step.

## How does it work?

- Together with your employer you agree how many hours you start with and how quickly you build up.
- You plan regular moments to look at how it is going. If it goes better than expected, you can build up faster. If it is harder, you adjust the pace. That is not a failure: it is part of the process.
- Your coach helps you write the agreements down clearly in your action plan.

## In Flanders: progressive work resumption

Are you unfit for work and do you receive a benefit from your health insurance fund (mutualiteit)? Then you can often go back to work part-time or progressively and keep part of your benefit. For this you need the permission of the advising physician of your health insurance fund. Ask for it before you start, and let the fund know when the arrangements change. The occupational physician of your employer may be involved too, for example in a reintegration process.

## In the Netherlands: building up hours

During reintegration you build up your hours step by step. The company doctor (bedrijfsarts) advises on what you can manage; you and your employer record the agreements in the plan of action (plan van aanpak) and adjust it when needed. If you no longer have an employer, you discuss the build-up with your contact person at UWV.

## Good to know

Rules, forms and deadlines change from time to time and depend on your situation. Always check with your health insurance fund or with UWV how it works for you at this moment.',
1, 1795392000);

INSERT INTO measures (slug, audience, title_nl, body_nl, title_en, body_en, published, updated_at) VALUES (
'workplace-adjustments', 'both',
'Aanpassingen op het werk',
'Soms lukt werken weer, maar niet op precies dezelfde manier als vroeger. Een aanpassing op het werk kan het verschil maken tussen thuis blijven en er weer bij horen. Vaak gaat het om kleine, tijdelijke dingen.

## Waar kan je aan denken?

- **Taken**: tijdelijk minder of andere taken, bijvoorbeeld geen klantencontact, geen zware lasten of minder deadlines tegelijk.
- **Uren**: kortere dagen, meer pauzes, geen nachtwerk, of een vaste dag thuis om te herstellen.
- **Plaats**: een rustigere werkplek, (deels) thuiswerken, of een werkplek dichter bij huis.
- **Hulpmiddelen**: een aangepaste stoel of bureau, software die voorleest of op een andere manier ondersteunt, een koptelefoon tegen lawaai, een duidelijke planning op papier.
- **Begeleiding**: een vaste collega als aanspreekpunt, een kort dagelijks overleg met de leidinggevende.

## Hoe pak je het aan?

1. Begin bij wat de medewerker kan, niet bij wat niet lukt. De coach helpt om dat in gewone woorden te beschrijven, zonder medische details.
2. Bespreek samen welke aanpassing het meeste verschil maakt en wat haalbaar is voor het team.
3. Spreek af hoe lang de aanpassing duurt en wanneer jullie ze opnieuw bekijken.
4. Noteer de afspraak in het actieplan: wie doet wat, en tegen wanneer.

Voor sommige aanpassingen en hulpmiddelen bestaat financiële steun van de overheid of van een instantie. Lees daarover meer in de artikels over de ondersteuning in Vlaanderen en in Nederland.',
'Workplace adjustments',
'Sometimes working is possible again, but not in exactly the same way as before. An adjustment at work can make the difference between staying at home and being part of the team again. Often it is about small, temporary changes.

## What can you think of?

- **Tasks**: fewer or different tasks for a while, for example no customer contact, no heavy lifting or fewer deadlines at once.
- **Hours**: shorter days, more breaks, no night work, or a fixed day at home to recover.
- **Place**: a quieter workplace, working (partly) from home, or a workplace closer to home.
- **Tools**: an adapted chair or desk, software that reads aloud or supports in another way, headphones against noise, a clear schedule on paper.
- **Guidance**: a fixed colleague to turn to, a short daily talk with the manager.

## How do you go about it?

1. Start from what the employee can do, not from what does not work. The coach helps to put this in plain words, without medical details.
2. Discuss together which adjustment makes the biggest difference and what is feasible for the team.
3. Agree how long the adjustment lasts and when you will look at it again.
4. Write the agreement down in the action plan: who does what, and by when.

For some adjustments and tools there is financial support from the government or an agency. Read more in the articles on support in Flanders and in the Netherlands.',
1, 1795392000);

INSERT INTO measures (slug, audience, title_nl, body_nl, title_en, body_en, published, updated_at) VALUES (
'trial-placement', 'both',
'Proefplaatsing',
'Bij een proefplaatsing werk je een afgesproken periode bij een werkgever om te ontdekken of het werk bij je past, en of jij bij het werk past. Dat kan bij je eigen werkgever in een andere functie zijn, of bij een nieuwe werkgever.

## Wat levert het op?

- Je ervaart wat je aankunt in een echte werkomgeving, zonder dat alles meteen vastligt.
- De werkgever leert je kennen en ziet wat je kan, los van een cv of een sollicitatiegesprek.
- Beide kanten kunnen daarna met meer vertrouwen beslissen over een vervolg.

## Goede afspraken vooraf

- Welke taken doe je, en hoeveel uren per week?
- Wie begeleidt je op de werkvloer, en bij wie kan je terecht met vragen?
- Hoe lang duurt de proefplaatsing, en wanneer is er een tussentijdse evaluatie?
- Wat gebeurt er na afloop als het goed gaat, en wat als het niet past?
- Hoe zit het met je uitkering, je verzekering en je vervoerskosten?

## Evaluatie

Plan een evaluatiegesprek halverwege en aan het einde, met de deelnemer, de werkgever en de coach. Bespreek wat goed ging, wat moeilijk was en wat nodig is voor een vervolg.

Of een proefplaatsing kan en onder welke voorwaarden, hangt af van je situatie en van de instantie die je uitkering betaalt (bijvoorbeeld VDAB of je ziekenfonds in Vlaanderen, het UWV of de gemeente in Nederland). Vraag de voorwaarden na voor de start, want die veranderen soms.',
'Trial placement',
'In a trial placement you work at an employer for an agreed period to find out whether the work suits you, and whether you suit the work. This can be at your own employer in another job, or at a new employer.

## What does it bring?

- You find out what you can manage in a real workplace, without everything being fixed at once.
- The employer gets to know you and sees what you can do, apart from a CV or a job interview.
- Afterwards both sides can decide on a next step with more confidence.

## Clear agreements beforehand

- Which tasks do you do, and for how many hours a week?
- Who guides you at work, and who can you turn to with questions?
- How long does the trial placement last, and when is there an evaluation halfway?
- What happens afterwards if it goes well, and what if it does not fit?
- What about your benefit, your insurance and your travel costs?

## Evaluation

Plan an evaluation talk halfway and at the end, with the participant, the employer and the coach. Discuss what went well, what was hard and what is needed for a next step.

Whether a trial placement is possible, and on what conditions, depends on your situation and on the agency that pays your benefit (for example VDAB or your health insurance fund in Flanders, UWV or the municipality in the Netherlands). Check the conditions before you start, because they change from time to time.',
1, 1795392000);

INSERT INTO measures (slug, audience, title_nl, body_nl, title_en, body_en, published, updated_at) VALUES (
'job-coaching', 'both',
'Jobcoaching na plaatsing',
'Een nieuwe baan of een terugkeer naar het werk is een grote stap. Een jobcoach helpt om die stap de eerste maanden vast te houden. De jobcoach komt naar de werkvloer, leert het werk en de mensen kennen, en is er voor de medewerker en voor de werkgever.

## Wat doet een jobcoach?

- Helpt de medewerker het werk te leren en een eigen ritme te vinden.
- Zoekt samen met de leidinggevende naar een werkwijze die past, bijvoorbeeld een duidelijke taakverdeling of een vaste dagplanning.
- Merkt signalen van overbelasting vroeg op en bespreekt ze voor ze groot worden.
- Legt collega''s uit hoe ze kunnen helpen, alleen met wat de medewerker wil laten delen.
- Bouwt de begeleiding af naarmate het werk beter loopt.

## Wanneer is het zinvol?

Bij een nieuwe werkgever, in een andere functie, na een proefplaatsing, of wanneer de eerste weken terug onzeker aanvoelen. Ook een werkgever die voor het eerst iemand met een nood aan ondersteuning in dienst neemt, heeft er vaak veel aan.

## Hoe regel je het?

Jobcoaching wordt soms betaald door een instantie, soms door de werkgever, en soms hoort het bij een traject. Je coach bekijkt samen met jou wat mogelijk is. In Vlaanderen kan je terecht bij VDAB of een gespecialiseerde partner, in Nederland bij het UWV of de gemeente. Vraag daar naar de voorwaarden die nu gelden.',
'Job coaching after placement',
'A new job or a return to work is a big step. A job coach helps to hold on to that step during the first months. The job coach comes to the workplace, gets to know the work and the people, and is there for the employee and for the employer.

## What does a job coach do?

- Helps the employee learn the work and find their own rhythm.
- Looks with the manager for a way of working that fits, for example a clear division of tasks or a fixed daily schedule.
- Notices signs of overload early and discusses them before they grow.
- Explains to colleagues how they can help, only with what the employee wants to share.
- Reduces the support as the work goes better.

## When does it help?

With a new employer, in a different job, after a trial placement, or when the first weeks back feel uncertain. An employer who hires someone with a need for support for the first time often benefits a lot too.

## How do you arrange it?

Job coaching is sometimes paid for by an agency, sometimes by the employer, and sometimes it is part of a programme. Your coach looks with you at what is possible. In Flanders you can turn to VDAB or a specialised partner, in the Netherlands to UWV or the municipality. Ask them about the conditions that apply now.',
1, 1795392000);

INSERT INTO measures (slug, audience, title_nl, body_nl, title_en, body_en, published, updated_at) VALUES (
'sharing-with-employer', 'participant',
'Wat vertel je aan je werkgever?',
'Je beslist zelf wat je werkgever over je gezondheid te weten komt. Je werkgever mag niet vragen naar je diagnose of je behandeling. Wat wel helpt, is dat je werkgever weet wat je op dit moment kan en wat (nog) niet. Zo kan het werk daarop worden afgestemd.

## Gezondheid of mogelijkheden?

- **Gezondheid** gaat over je klachten, je diagnose en je behandeling. Dat blijft tussen jou en je zorgverleners, zoals je huisarts, je psycholoog of de arbeidsarts (in Nederland de bedrijfsarts).
- **Mogelijkheden** gaan over wat je kan doen op het werk: hoeveel uren, welke taken, wat je beter nog even vermijdt. Dat kan je wel delen, als je dat wil.

Een voorbeeld: in plaats van *"ik heb een depressie"* kan je zeggen *"de komende weken werk ik het best in de voormiddag, met weinig onderbrekingen"*.

## Het gesprek voorbereiden

1. Schrijf op wat je wil vertellen en wat niet. Je coach denkt mee en helpt je om het in gewone woorden te zeggen.
2. Spreek af wie erbij is. Je coach kan meekomen of helpen om het gesprek te leiden.
3. Bespreek ook wat je collega''s te horen krijgen, en wie het hun vertelt.

## Toestemming in dit portaal

In dit portaal zie je bij *Wie mag wat zien* precies wie welke informatie van jou mag lezen. Je kan een toestemming op elk moment intrekken; dat geldt meteen. Informatie over je gezondheid wordt nooit gedeeld met de werkkant.',
'What do you tell your employer?',
'You decide yourself what your employer learns about your health. Your employer may not ask about your diagnosis or your treatment. What does help is that your employer knows what you can do at the moment and what you cannot do (yet). That way the work can be adapted to it.

## Health or abilities?

- **Health** is about your symptoms, your diagnosis and your treatment. That stays between you and your care providers, such as your GP, your psychologist or the occupational physician (in the Netherlands the company doctor).
- **Abilities** are about what you can do at work: how many hours, which tasks, what you had better avoid for now. You can share this, if you want to.

An example: instead of *"I have a depression"* you can say *"for the coming weeks I work best in the mornings, with few interruptions"*.

## Preparing the conversation

1. Write down what you want to tell and what not. Your coach thinks along and helps you say it in plain words.
2. Agree who will be there. Your coach can come along or help to lead the conversation.
3. Also discuss what your colleagues will hear, and who tells them.

## Consent in this portal

In this portal, *Who may see what* shows exactly who may read which information of yours. You can withdraw a consent at any moment; it takes effect at once. Information about your health is never shared with the work side.',
1, 1795392000);

INSERT INTO measures (slug, audience, title_nl, body_nl, title_en, body_en, published, updated_at) VALUES (
'staying-in-touch', 'employer',
'Contact houden tijdens de afwezigheid',
'Als een medewerker uitvalt, weten veel leidinggevenden niet goed wat ze moeten doen: bellen, of net niet? Goed contact tijdens de afwezigheid maakt de terugkeer later een stuk makkelijker. Het gaat niet om controle, maar om te laten merken dat iemand er nog bij hoort.

## Wat helpt

- Spreek samen af hoe vaak en op welke manier jullie contact hebben: een telefoontje, een bericht, af en toe een koffie.
- Vraag hoe het gaat, niet wat er scheelt. Vragen naar een diagnose hoort niet, en is ook niet nodig.
- Vertel wat er op het werk gebeurt: nieuwe collega''s, veranderingen in het team, een afscheid. Zo voelt terugkomen minder vreemd.
- Laat weten dat de plek er nog is, en dat er ruimte is om geleidelijk terug te komen.

## Wat je beter vermijdt

- Vragen over het werk, of druk om sneller terug te komen.
- Met collega''s praten over de reden van de afwezigheid.
- Lang niets van je laten horen: stilte voelt voor veel mensen als afwijzing.

## Samenwerken met de coach

De coach is het aanspreekpunt tussen werk en zorg. Wat de medewerker wil delen, hoor je via de coach of van de medewerker zelf. Heb je zelf zorgen die je liever niet rechtstreeks deelt, bespreek ze dan met de coach: die geeft ze alleen door met jouw akkoord.',
'Staying in touch during the absence',
'When an employee is off sick, many managers are unsure what to do: call, or better not? Good contact during the absence makes the return much easier later. It is not about checking up, but about showing that someone still belongs.

## What helps

- Agree together how often and in what way you stay in touch: a phone call, a message, a coffee now and then.
- Ask how they are doing, not what is wrong. Asking about a diagnosis is not appropriate, and it is not needed either.
- Tell what is happening at work: new colleagues, changes in the team, a farewell. That way coming back feels less strange.
- Let them know their place is still there, and that there is room to come back gradually.

## What to avoid

- Questions about work, or pressure to come back sooner.
- Talking with colleagues about the reason for the absence.
- Staying silent for a long time: to many people silence feels like rejection.

## Working with the coach

The coach is the link between work and care. What the employee wants to share, you hear through the coach or from the employee. If you have concerns of your own that you would rather not share directly, discuss them with the coach: the coach passes them on only with your agreement.',
1, 1795392000);

INSERT INTO measures (slug, audience, title_nl, body_nl, title_en, body_en, published, updated_at) VALUES (
'support-flanders', 'both',
'Ondersteuning in Vlaanderen: VDAB, ziekenfonds en adviserend arts',
'Wie in Vlaanderen na ziekte terug aan het werk gaat, kan op verschillende plaatsen steun vinden. Dit artikel geeft een eerste overzicht. Het is bewust algemeen gehouden: de precieze voorwaarden veranderen geregeld, dus vraag ze altijd na bij de instantie zelf.

## Je ziekenfonds (mutualiteit) en de adviserend arts

- Je ziekenfonds betaalt je uitkering bij arbeidsongeschiktheid, volgens de regels van het RIZIV.
- De adviserend arts van je ziekenfonds beoordeelt je arbeidsongeschiktheid en moet toestemming geven voor een gedeeltelijke werkhervatting.
- Veel ziekenfondsen hebben ook medewerkers die je helpen bij je re-integratie, soms samen met VDAB of een gespecialiseerde partner.

## VDAB

- VDAB begeleidt mensen naar (ander) werk, ook wie door gezondheidsproblemen de eigen job niet meer kan doen.
- Er bestaan trajecten met begeleiding op maat, opleiding, leren op de werkvloer of een stage, en jobcoaching.
- Voor werkgevers bestaan er tegemoetkomingen wanneer een medewerker met een arbeidsbeperking extra ondersteuning of een aanpassing nodig heeft.

## De werkgever en de arbeidsarts

De arbeidsarts van de externe preventiedienst kan een re-integratietraject opstarten en bekijkt welk aangepast of ander werk mogelijk is. Medische informatie blijft bij de arts: de werkgever hoort alleen wat je wel en niet kan.

## Wat doe je nu?

Bespreek met je coach welke instantie voor jou de eerste stap is. Neem dan contact op met je ziekenfonds of met VDAB en vraag welke voorwaarden vandaag voor jouw situatie gelden.',
'Support in Flanders: VDAB, health insurance fund and advising physician',
'Anyone in Flanders returning to work after an illness can find support in several places. This article gives a first overview. It is kept general on purpose: the exact conditions change regularly, so always check them with the agency itself.

## Your health insurance fund (mutualiteit) and the advising physician

- Your health insurance fund pays your incapacity benefit, under the rules of RIZIV, the national institute for health and disability insurance.
- The advising physician of your fund assesses your incapacity for work and must give permission for a partial return to work.
- Many funds also have staff who help you with your reintegration, sometimes together with VDAB or a specialised partner.

## VDAB

- VDAB, the Flemish public employment service, guides people towards (other) work, including people who can no longer do their own job because of health problems.
- There are programmes with tailored guidance, training, learning on the job or an internship, and job coaching.
- For employers there is financial support when an employee with a work-limiting condition needs extra support or an adjustment.

## The employer and the occupational physician

The occupational physician of the external prevention service can start a reintegration process and looks at which adapted or other work is possible. Medical information stays with the physician: the employer only hears what you can and cannot do.

## What now?

Discuss with your coach which agency is the first step for you. Then contact your health insurance fund or VDAB and ask which conditions apply to your situation today.',
1, 1795392000);

INSERT INTO measures (slug, audience, title_nl, body_nl, title_en, body_en, published, updated_at) VALUES (
'support-netherlands', 'both',
'Ondersteuning in Nederland: UWV en gemeente',
'Wie in Nederland na ziekte weer aan het werk wil, kan steun krijgen van het UWV of van de gemeente. Welke instantie voor jou de juiste is, hangt af van je situatie: heb je een werkgever, welke uitkering heb je, en sinds wanneer? Dit artikel geeft een eerste overzicht. De precieze voorwaarden veranderen geregeld, dus vraag ze altijd na bij de instantie zelf.

## Met een werkgever

- Jij en je werkgever zijn samen verantwoordelijk voor je re-integratie. De bedrijfsarts adviseert, en jullie leggen de afspraken vast in een plan van aanpak.
- Lukt de terugkeer in je eigen werk niet, dan kijken jullie naar ander werk bij dezelfde werkgever, en daarna eventueel bij een andere werkgever.
- Het UWV beoordeelt later of er genoeg aan re-integratie is gedaan.

## Het UWV

- Het UWV betaalt onder meer uitkeringen bij ziekte en arbeidsongeschiktheid, en helpt mensen met zo''n uitkering weer aan het werk.
- Mogelijke ondersteuning is onder meer een proefplaatsing, een jobcoach, een vergoeding voor aanpassingen van de werkplek en voor hulpmiddelen, en soms een financiële tegemoetkoming voor de werkgever.

## De gemeente

- Heb je een bijstandsuitkering, of valt je ondersteuning onder de Participatiewet, dan is de gemeente je aanspreekpunt.
- Gemeenten bieden onder meer begeleiding naar werk, jobcoaching en soms loonkostensubsidie voor de werkgever. Wat er precies kan, verschilt per gemeente.

## Wat doe je nu?

Bespreek met je coach welke instantie voor jou de eerste stap is. Neem dan contact op met het UWV of met je gemeente en vraag welke voorwaarden vandaag voor jouw situatie gelden.',
'Support in the Netherlands: UWV and the municipality',
'Anyone in the Netherlands who wants to return to work after an illness can get support from UWV or from the municipality. Which agency is the right one depends on your situation: do you have an employer, which benefit do you receive, and since when? This article gives a first overview. The exact conditions change regularly, so always check them with the agency itself.

## With an employer

- You and your employer are jointly responsible for your reintegration. The company doctor advises, and you record the agreements in a plan of action.
- If returning to your own work does not succeed, you look at other work with the same employer, and after that possibly with another employer.
- Later, UWV assesses whether enough was done for the reintegration.

## UWV

- UWV, the Dutch employee insurance agency, pays among other things benefits for sickness and incapacity for work, and helps people with such a benefit back to work.
- Possible support includes a trial placement, a job coach, a reimbursement for workplace adjustments and tools, and sometimes financial support for the employer.

## The municipality

- If you receive social assistance, or your support falls under the Participation Act (Participatiewet), the municipality is your point of contact.
- Municipalities offer among other things guidance towards work, job coaching and sometimes a wage cost subsidy for the employer. What exactly is possible differs per municipality.

## What now?

Discuss with your coach which agency is the first step for you. Then contact UWV or your municipality and ask which conditions apply to your situation today.',
1, 1795392000);
