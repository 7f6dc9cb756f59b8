"""How well the gate finds names nobody declared, and how many ordinary words it stops, as JSON.

Names come from nomquamgender's first names (not recits' lists: Faker's and
pyspellchecker's), placed in the sentences of peer interviews, plain and in each disguise:
recall is the share of them the gate stops (a word stopped where the name is written).

False alarms: the words of two texts in the style of the platform's own writing that the gate
stops although they are not people, per 10,000 words, and the real people it misses. REPORT
was looked at while the gate was built (the cities list came after it flagged Lyon and
Grenoble): a development figure. MINUTES was written afterwards and never used to change
anything: the held-out figure.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.exports.test_gate_disguises import DISGUISES, disguise, held_out_names  # noqa: E402
from tests.fixtures.reports import (  # noqa: E402
    BILAN_2023,
    BILAN_2023_PEOPLE,
    RAPPORT_2021,
    RAPPORT_2021_PEOPLE,
)

from recits.candidates import find_candidates  # noqa: E402
from recits.masking import name_key  # noqa: E402

SENTENCES = (
    "Et là il y avait {}, qui m'a dit : « tu tiens le coup ? ».",
    "Je suis allée voir {} au foyer, elle était contente.",
    "{} m'a appelée dimanche soir, pour rien, juste pour parler.",
    "On en a parlé avec {} et avec la cheffe de service.",
    "Mon fils, {}, il sait pas encore ce que je fais comme travail.",
    "C'est grâce à {} que j'ai postulé, franchement.",
    "Quand {} est sorti de prison, il est venu directement au CAARUD.",
    "J'ai revu {} à la gare, il avait maigri.",
)

# An activity report, in the style of the platform's own (written for this benchmark).
REPORT = """RAPPORT D'ACTIVITÉ 2022
Plateforme régionale du travail pair — Auvergne-Rhône-Alpes

1. Introduction
En 2022, la plateforme a accompagné vingt-trois structures du social et du médico-social
(CHRS, CAARUD, CSAPA, accueils de jour, services de psychiatrie) dans le recrutement et
l'intégration de travailleur·euse·s pair·e·s. Les pair-e-s salarié-e-s étaient 41 au 31
décembre, contre 29 un an plus tôt. Le comité de pilotage, réuni deux fois, associe la
DREETS, l'ARS, la Métropole de Lyon et la Fédération des acteurs de la solidarité.

2. Le collectif des travailleur·euse·s pair·e·s
Six réunions du collectif se sont tenues, dont deux en visioconférence. Elles ont porté sur
la charge mentale, la légitimité dans les équipes, la formation et la réduction des risques.
Comme l'a dit une participante lors de la réunion de mars : « on porte tout, même le soir ».
Le DU « pair-aidance en santé mentale » de l'université Lyon 1 a accueilli quatre
personnes ; la formation Médiateur de santé-pair, portée par le CCOMS de Lille, deux.

3. Les structures accompagnées
À Grenoble, le Relais Ozanam a recruté un deuxième travailleur pair ; à Saint-Étienne,
l'association Face Loire a ouvert un poste en accueil de jour ; à Clermont-Ferrand,
l'équipe mobile psychiatrie-précarité du CHU a été accompagnée par Mme Dubreuil, cadre de
santé, et par le docteur Ferrand. Le Samu social de Lyon, Médecins du Monde et AIDES ont
participé aux journées d'échange. Emmaüs Connect a proposé un atelier numérique.

4. Perspectives
Pour 2023, la plateforme souhaite consolider le financement (appel à projets de la
Fondation de France, crédits de l'ARS), développer le partenariat avec Pôle Emploi et la
Mission Locale, et publier une bande dessinée avec l'association Les Mots Dits. Christine
Vautrin, présidente, et Étienne Morel, trésorier, remercient les équipes.

Notes
¹ Chiffres arrêtés au 31 décembre 2022, hors stagiaires.
² Voir aussi le rapport du Haut Conseil de la santé publique (HCSP, 2021).
"""
REPORT_PEOPLE = {"dubreuil", "ferrand", "christine", "vautrin", "etienne", "morel"}

# Minutes of a steering committee and an article's opening (written for the held-out figure).
MINUTES = """Compte rendu du comité de pilotage — 14 novembre 2023, Villeurbanne

Présent·e·s : Mme Benhamou (DREETS), M. Lagarde (Conseil départemental du Rhône), Sonia
Ferreira (Habitat et Humanisme), Thibault Nguyen (Oppelia), l'équipe de la plateforme.
Excusé·e·s : la Direction de la santé publique de la Ville de Lyon, le GCSMS Vivre avec.

Ordre du jour
1. Bilan du premier semestre. Quatorze recrutements ont abouti, dont trois en milieu rural
(Drôme, Ardèche, Haute-Loire). Deux structures ont mis fin au contrat pendant la période
d'essai ; dans les deux cas, l'absence de binôme a été relevée. M. Lagarde souligne que le
conseil départemental financera une deuxième année. Sonia Ferreira rappelle que les pair·e·s
ne sont pas des « bénévoles améliorés ».
2. Formation. Le module « posture et secret professionnel » sera coanimé avec l'IRTS de
Lyon et l'Université Lumière Lyon 2 ; le Centre national de ressources et d'appui aux pairs
(CNRAP) propose un référentiel. Une journée régionale aura lieu à Valence en mars.
3. Publication. L'article pour la revue Rhizome est relu par le collectif ; la bande
dessinée avance : huit planches validées, deux en cours. Kevin, travailleur pair à Annecy,
a demandé que sa scène soit retirée, ce qui a été fait.
4. Questions diverses. Prochaine réunion le 12 février, à la Maison des Solidarités.

Extrait de l'article soumis à Rhizome
« Le travail pair ne va pas de soi », écrit Jean-Baptiste Orsoni dans sa thèse. Depuis les
programmes « Un chez-soi d'abord » et les médiateurs de santé-pairs, les équipes ont appris à
reconnaître le savoir expérientiel. Reste la question du statut, que la Haute Autorité de
santé n'a pas tranchée.
"""
MINUTES_PEOPLE = {
    "benhamou", "lagarde", "sonia", "ferreira", "thibault", "nguyen", "kevin", "jean",
    "baptiste", "orsoni",
}  # fmt: skip


def recall(rng: random.Random, draws: int) -> dict[str, float]:
    names = held_out_names()
    caught: dict[str, list[bool]] = {how: [] for how in DISGUISES}
    for _ in range(draws):
        first, last = rng.choice(names), rng.choice(names)
        how = rng.choice(DISGUISES)
        written = disguise(first, last, how, rng.randint(0, 20))
        sentence = rng.choice(SENTENCES)
        text = sentence.format(written)
        start = sentence.index("{}")
        end = start + len(written)
        caught[how].append(any(c.start < end and start < c.end for c in find_candidates(text)))
    return {how: round(sum(v) / len(v), 3) for how, v in caught.items() if v}


def false_alarms(text: str, people: set[str]) -> dict[str, object]:
    keys = {c.key for c in find_candidates(text)}
    alarms = sorted(keys - people)
    missed = sorted(people - {part for k in keys for part in name_key(k).split()})
    words = len(text.split())
    return {
        "words": words,
        "not_people_stopped": alarms,
        "per_10000_words": round(len(alarms) * 10000 / words, 1),
        "people_missed": missed,
    }


def review_list(path: Path, people: frozenset[str]) -> dict[str, object]:
    """What `recits names` lists for a written report once imported and analysed (the model's
    person entities and the gate's words): how much of it is a person, and no person missed."""
    from recits.ingest import ImportOptions, import_paths
    from recits.names import detected_names
    from recits.nlp import analyse
    from recits.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        project = Project.init(Path(tmp) / "projet", coder="bench")
        with project.store() as store:
            import_paths(store, [path], ImportOptions())
            analyse(store, parallel=False)
            listed = detected_names(store)
    persons = [n for n in listed if set(name_key(n.key).split()) & people]
    found = {w for n in listed for w in name_key(n.key).split()}
    return {
        "words": len(path.read_text(encoding="utf-8").split()),
        "review_list": len(listed),
        "persons": len(persons),
        "precision": round(len(persons) / len(listed), 3) if listed else 1.0,
        "recall": round(len(people & found) / len(people), 3),
        "people_missed": sorted(people - found),
        "not_people_listed": sorted(n.name for n in listed if n not in persons),
    }


def main() -> None:
    rng = random.Random(2026)
    by_disguise = recall(rng, 2000)
    print(
        json.dumps(
            {
                "benchmark": "names_quality",
                "held_out_names": len(held_out_names()),
                "recall_by_disguise": by_disguise,
                "recall_overall": round(sum(by_disguise.values()) / len(by_disguise), 3),
                "report_development": false_alarms(REPORT, REPORT_PEOPLE),
                "minutes_held_out": false_alarms(MINUTES, MINUTES_PEOPLE),
                # `recits names` on written reports (tests/fixtures): RAPPORT_2021 was used to
                # tune the prose rules, BILAN_2023 never (the held-out figure).
                "report_review_development": review_list(RAPPORT_2021, RAPPORT_2021_PEOPLE),
                "report_review_held_out": review_list(BILAN_2023, BILAN_2023_PEOPLE),
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
