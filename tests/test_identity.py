"""One identity per person: one name key, same-label speakers kept apart until confirmed."""

from __future__ import annotations

import json
import sqlite3
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recits.masking import name_key
from recits.migrations import migrations
from recits.models import NewCoding
from recits.store import Store
from tests.conftest import add_doc, db_snapshot, parsed, run

# Two interviews, each with a speaker « Karim » : two men, opposite answers.
ONE = "Claire : On peut publier ?\nKarim : Oui, publiez, le CAARUD m'a sauvé la vie.\n"
TWO = (
    "Samia : On peut publier ?\n"
    "Karim : Je ne veux pas être publié, ma famille ne sait pas que je consomme.\n"
)
AGREES, REFUSES = "le CAARUD m'a sauvé la vie", "ma famille ne sait pas que je consomme"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def imported(project, tmp_path, *texts: tuple[str, str], args: tuple[str, ...] = ()):
    paths = [str(write(tmp_path, name, text)) for name, text in texts]
    result = run(project, "import", *args, *paths)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def listing(project) -> dict[str, dict]:
    result = run(project, "participants", "--json")
    assert result.exit_code == 0, result.stderr
    return {p["pseudonym"]: p for p in json.loads(result.output)}


def code_speech(project, *parts: str) -> None:
    """One coding ("charge-mentale") on each passage, wherever it is."""
    with project.store() as store:
        for doc in store.documents():
            text = store.document_text(doc.id)
            for part in parts:
                if part in text:
                    start = text.index(part)
                    store.add_coding(
                        NewCoding(doc.id, start, start + len(part), "charge-mentale", "Claire")
                    )


def exported(project, fmt: str = "md") -> tuple[str, str]:
    result = run(project, "export", "excerpts", "--format", fmt)
    assert result.exit_code == 0, result.output + result.stderr
    line = next(x for x in result.output.splitlines() if x.startswith("Écrit : "))
    path = line.removeprefix("Écrit : ").split(" (sha256")[0]
    return open(path, encoding="utf-8").read(), result.output


@pytest.fixture
def two_karims(project, tmp_path):
    """Imported in one go, without saying who is who; the first Karim is renamed Yanis."""
    result = imported(project, tmp_path, ("un.txt", ONE), ("deux.txt", TWO))
    assert "1 participant·e(s) à confirmer" in result.output
    assert "même nom qu'un·e autre participant·e (« Karim ») : à confirmer" in result.output
    assert run(project, "participants", "rename", "Karim", "--pseudonym", "Yanis").exit_code == 0
    code_speech(project, AGREES, REFUSES)
    return project


# -- one name key ------------------------------------------------------------------------------
def _variant(draw, name: str) -> str:
    out = []
    for char in name:
        if char in " -":
            out.append(draw(st.sampled_from([" ", "-", "  ", "\u00a0", "\u2011", " - "])))
            continue
        if draw(st.booleans()):
            char = "".join(
                c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
            )
        out.append(char.upper() if draw(st.booleans()) else char)
    return "".join(out)


WORD = st.text(alphabet="abcdeéèêëàâîïôöùûüçnrst", min_size=2, max_size=8)
NAME = st.lists(WORD, min_size=1, max_size=3).flatmap(
    lambda words: st.sampled_from([" ", "-"]).map(lambda sep: sep.join(words))
)


@given(data=st.data(), name=NAME)
def test_case_accents_spaces_and_hyphens_give_one_name_key(data, name):
    variant = _variant(data.draw, name)
    assert name_key(variant) == name_key(name)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=NAME.filter(lambda n: name_key(n) != name_key("Claire")))
def test_a_name_written_otherwise_in_a_second_document_is_flagged_never_merged(data, name):
    label = name.title()
    variant = _variant(data.draw, label).strip(" -\u00a0\u2011") or label
    with Store(":memory:") as store:
        add_doc(store, parsed((label, "Bonjour."), ("Claire", "Oui.")), "Un")
        add_doc(store, parsed((variant, "Re."), ("Claire", "Non.")), "Deux", same=("Claire",))
        people = store.participants()
        first = next(p for p in people if p.pseudonym == label)
        second = next(p for p in people if p.id != first.id and p.pseudonym != "Claire")
        assert second.same_label_as == first.id and first.same_label_as is None
        assert len(people) == 3


def test_zoe_with_or_without_accent_then_renaming_someone_else_works(project, tmp_path):
    one = "Zoé : Bonjour.\nKarim : Salut.\nZOE : Ça va ?\nZoe : Oui.\n"
    imported(project, tmp_path, ("un.txt", one), ("deux.txt", "Zoe : Re.\nLéa : Coucou.\n"))
    people = listing(project)
    assert people["Zoé"]["turns"] == 3  # one person within a document, however written
    assert people["Locuteur·rice 2"]["labels"] == ["Zoe"]
    assert people["Locuteur·rice 2"]["same_label_as"] == people["Zoé"]["id"]
    for ref, pseudonym in (("Karim", "Yanis"), ("Zoé", "Inès"), ("Léa", "Odile")):
        result = run(project, "participants", "rename", ref, "--pseudonym", pseudonym)
        assert result.exit_code == 0, result.stderr
    assert {"Yanis", "Inès", "Odile"} <= set(listing(project))


# -- two Karims --------------------------------------------------------------------------------
def test_two_karims_are_two_participants_and_the_second_is_flagged(two_karims):
    people = listing(two_karims)
    yanis, second = people["Yanis"], people["Locuteur·rice 2"]
    assert yanis["labels"] == ["Karim"] and second["labels"] == ["Karim"]
    assert second["same_label_as"] == yanis["id"] and yanis["same_label_as"] is None
    assert "à confirmer" in second["to_confirm"] and yanis["to_confirm"] is None
    text = run(two_karims, "participants").output
    assert "même nom qu'un·e autre participant·e (« Yanis ») : à confirmer" in text


def test_consent_for_the_first_karim_never_exports_the_second(two_karims):
    run(two_karims, "participants", "consent", "Yanis", "accordé", "--scope", "articles")
    run(two_karims, "participants", "consent", "Locuteur·rice 2", "refusé")
    for fmt in ("md", "json"):
        text, summary = exported(two_karims, fmt)
        assert "sauvé la vie" in text and "famille" not in text
    # Even if the flagged one's status were « accordé », the gate waits for the team's answer.
    run(two_karims, "participants", "consent", "Locuteur·rice 2", "accordé", "--scope", "articles")
    text, summary = exported(two_karims)
    assert "famille" not in text
    assert "1 extrait écarté : locuteur·rice à confirmer (même nom qu'un·e autre" in summary


def test_check_quotes_never_calls_an_unconfirmed_speaker_consented(two_karims, tmp_path):
    run(two_karims, "participants", "consent", "Locuteur·rice 2", "accordé", "--scope", "articles")
    draft = write(tmp_path, "article.md", f"Il dit : « {REFUSES} ».\n")
    result = run(two_karims, "check-quotes", str(draft), "--json")
    [quote] = json.loads(result.output)
    assert quote["found"] and quote["consent"] == "accordé"
    assert not quote["consented"] and not quote["ok"] and result.exit_code != 0


def test_a_flagged_speaker_said_different_is_quoted_under_their_own_consent(two_karims):
    run(two_karims, "participants", "consent", "Locuteur·rice 2", "accordé", "--scope", "articles")
    result = run(two_karims, "participants", "confirm", "Locuteur·rice 2", "--different")
    assert result.exit_code == 0, result.stderr
    assert listing(two_karims)["Locuteur·rice 2"]["same_label_as"] is None
    text, _summary = exported(two_karims)
    assert "famille" in text and "sauvé la vie" not in text  # Yanis never consented
    # Given a pseudonym, the made-up one is not kept as a real name; and it is never given
    # again, so no later « Locuteur·rice 2 » holds someone's alias.
    run(two_karims, "participants", "rename", "Locuteur·rice 2", "--pseudonym", "Samir")
    assert listing(two_karims)["Samir"]["aliases"] == []
    run(two_karims, "participants", "alias", "Samir", "Locuteur·rice 2")
    path = write(two_karims.root, "trois.txt", "Karim : Moi.\nJo : Oui.\n")
    imported(two_karims, two_karims.root, ("trois.txt", path.read_text(encoding="utf-8")))
    third = [p for p in listing(two_karims).values() if p["same_label_as"]]
    assert [p["pseudonym"] for p in third] == ["Locuteur·rice 3"]


def test_the_participants_mapping_links_a_label_to_a_known_person(project, tmp_path):
    imported(project, tmp_path, ("un.txt", ONE))
    run(project, "participants", "rename", "Karim", "--pseudonym", "Yanis")
    imported(project, tmp_path, ("deux.txt", TWO), args=("--participants", "Karim=Yanis,Samia"))
    people = listing(project)
    assert people["Yanis"]["documents"] == 2
    assert not any(p["same_label_as"] for p in people.values())
    # A bare name: the person of that name (here an alias of Yanis).
    three = "Karim : Encore moi.\nClaire : Merci.\n"
    imported(project, tmp_path, ("trois.txt", three), args=("--participants", "Karim,Claire"))
    assert listing(project)["Yanis"]["documents"] == 3 and len(listing(project)) == 3


def test_reimporting_a_file_changes_nothing(project, tmp_path):
    imported(project, tmp_path, ("un.txt", ONE), ("deux.txt", TWO))
    before = db_snapshot(project.db_path)
    result = run(project, "import", str(tmp_path / "deux.txt"))
    assert result.exit_code == 0 and "à confirmer" not in result.output
    assert db_snapshot(project.db_path) == before


def test_a_new_version_of_a_transcript_keeps_its_speakers(two_karims, tmp_path):
    write(tmp_path, "deux.txt", TWO + "Samia : Merci.\n")
    result = run(two_karims, "import", str(tmp_path / "deux.txt"))
    assert "nouvelle version" in result.output and "à confirmer" not in result.output
    people = listing(two_karims)
    assert people["Locuteur·rice 2"]["documents"] == 2 and people["Samia"]["turns"] == 1 + 2
    assert len(people) == 4


@pytest.mark.parametrize(
    "mapping, message",
    [
        ("Karim=Personne", "« Personne » n'est pas un·e participant·e connu·e"),
        ("=Yanis", "n'est ni un nom ni « ÉTIQUETTE=PSEUDONYME »"),
        ("Karim=", "n'est ni un nom ni « ÉTIQUETTE=PSEUDONYME »"),
    ],
)
def test_a_bad_mapping_is_refused_before_anything_is_imported(project, tmp_path, mapping, message):
    imported(project, tmp_path, ("un.txt", ONE))
    before = db_snapshot(project.db_path)
    path = write(tmp_path, "deux.txt", TWO)
    result = run(project, "import", "--participants", mapping, str(path))
    assert result.exit_code != 0 and message in result.stderr
    assert db_snapshot(project.db_path) == before


def test_a_name_two_known_people_share_needs_saying_which(two_karims, tmp_path):
    run(two_karims, "participants", "confirm", "Locuteur·rice 2", "--different")
    before = db_snapshot(two_karims.db_path)
    path = write(tmp_path, "trois.txt", "Karim : Moi.\nClaire : Oui.\n")
    result = run(two_karims, "import", "--participants", "Karim", str(path))
    assert result.exit_code != 0
    assert "« Karim » est le nom de plusieurs personnes" in result.stderr
    assert db_snapshot(two_karims.db_path) == before


# -- merge, confirm, split ---------------------------------------------------------------------
def test_confirming_the_same_person_merges_them(two_karims):
    run(two_karims, "participants", "consent", "Yanis", "accordé", "--scope", "articles")
    result = run(two_karims, "participants", "confirm", "Locuteur·rice 2", "--same")
    assert result.exit_code == 0, result.stderr
    assert "« Locuteur·rice 2 » fusionné·e dans « Yanis »" in result.output
    people = listing(two_karims)
    assert "Locuteur·rice 2" not in people and people["Yanis"]["documents"] == 2
    assert people["Yanis"]["aliases"] == ["Karim"]  # no placeholder among the real names
    text, _summary = exported(two_karims)
    assert "sauvé la vie" in text and "famille" in text  # the team said: one man, one consent


def test_merging_keeps_both_ledgers_and_the_most_restrictive_consent(two_karims):
    run(two_karims, "participants", "consent", "Yanis", "accordé", "--scope", "articles,bd",
        "--date", "2021-01-10")  # fmt: skip
    run(two_karims, "participants", "consent", "Locuteur·rice 2", "refusé", "--date", "2021-02-01")
    with two_karims.store() as store:
        store.decide_name("Kader", "kader", "attached", actor="Claire",
                          participant_id=listing(two_karims)["Locuteur·rice 2"]["id"],
                          aliases=["Kader"])  # fmt: skip
    result = run(two_karims, "participants", "merge", "Yanis", "Locuteur·rice 2")
    assert result.exit_code == 0, result.stderr
    assert "le plus restrictif s'applique (refusé)" in result.output
    yanis = listing(two_karims)["Yanis"]
    assert yanis["consent"] == "refusé" and yanis["aliases"] == ["Karim", "Kader"]
    history = json.loads(run(two_karims, "participants", "history", "Yanis", "--json").output)
    assert [h["consent"] for h in history] == ["accordé", "refusé", "refusé"]
    with two_karims.store() as store:
        assert {d.participant_id for d in store.name_decisions()} == {yanis["id"]}
        speakers = store.document_speakers()
    assert all(names == ["Claire", "Yanis"] or names == ["Samia", "Yanis"]
               for names in speakers.values())  # fmt: skip
    text, summary = exported(two_karims)
    assert "sauvé" not in text and "famille" not in text


def test_two_agreements_merge_to_their_common_scope(two_karims):
    run(two_karims, "participants", "consent", "Yanis", "accordé", "--scope", "articles,bd")
    run(two_karims, "participants", "consent", "Locuteur·rice 2", "accordé", "--scope", "bd")
    assert run(two_karims, "participants", "merge", "Yanis", "Locuteur·rice 2").exit_code == 0
    yanis = listing(two_karims)["Yanis"]
    assert (yanis["consent"], yanis["consent_scope"]) == ("accordé", ["bd"])


def test_splitting_gives_one_document_to_a_new_person_without_consent(project, tmp_path):
    imported(project, tmp_path, ("un.txt", ONE))
    run(project, "participants", "rename", "Karim", "--pseudonym", "Yanis")
    run(project, "participants", "consent", "Yanis", "accordé", "--scope", "articles")
    imported(project, tmp_path, ("deux.txt", TWO), args=("--participants", "Karim=Yanis"))
    code_speech(project, AGREES, REFUSES)
    text, _summary = exported(project)
    assert "famille" in text  # the wrong link: the second Karim's refusal is exported
    result = run(project, "participants", "split", "Yanis", "--document", "deux",
                 "--pseudonym", "Samir")  # fmt: skip
    assert result.exit_code == 0, result.output + result.stderr
    people = listing(project)
    assert people["Samir"]["consent"] == "inconnu" and people["Samir"]["labels"] == ["Karim"]
    assert people["Yanis"]["documents"] == 1 and people["Yanis"]["consent"] == "accordé"
    text, _summary = exported(project)
    assert "sauvé la vie" in text and "famille" not in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["merge", "Yanis", "Karim"], "sont la même fiche"),
        (["merge", "Yanis", "Personne"], "participant·e inconnu·e"),
        (["confirm", "Yanis", "--same"], "n'a rien à confirmer"),
        (["confirm", "Locuteur·rice 2"], "précisez --same"),
        (["split", "Yanis", "--document", "deux", "--pseudonym", "Samir"], "ne parle pas dans"),
        (["split", "Yanis", "--document", "un", "--pseudonym", "Samir"], "ne parle que dans"),
        (["split", "Claire", "--document", "un", "--pseudonym", "Samir"], "ne parle que dans"),
        (["split", "Yanis", "--document", "zzz", "--pseudonym", "Samir"], "document introuvable"),
    ],
)
def test_bad_identity_changes_are_refused_and_change_nothing(two_karims, args, message):
    before = db_snapshot(two_karims.db_path)
    result = run(two_karims, "participants", *args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert db_snapshot(two_karims.db_path) == before


def test_a_split_pseudonym_must_not_be_a_real_name(project, tmp_path):
    imported(project, tmp_path, ("un.txt", ONE))
    run(project, "participants", "rename", "Karim", "--pseudonym", "Yanis")
    imported(project, tmp_path, ("deux.txt", TWO), args=("--participants", "Karim=Yanis"))
    before = db_snapshot(project.db_path)
    for pseudonym, message in (("Karim", "contient le nom réel"), ("Claire", "déjà celui")):
        result = run(project, "participants", "split", "Yanis", "--document", "deux",
                     "--pseudonym", pseudonym)  # fmt: skip
        assert result.exit_code != 0 and message in result.stderr
    assert db_snapshot(project.db_path) == before


# -- projects imported before identity was checked ---------------------------------------------
def test_an_older_project_gets_its_shared_names_to_confirm(project):
    with project.store() as store:
        add_doc(store, parsed(("Karim", "Un."), ("Zoé", "Deux.")), "Un")
        add_doc(store, parsed(("Karim", "Trois."), ("Léa", "Quatre.")), "Deux", same=("Karim",))
    conn = sqlite3.connect(project.db_path)  # as an import before m008 would have left it
    with conn:
        conn.execute(
            "INSERT INTO participants (id, pseudonym, created_at) VALUES ('z', 'Zoe', '9999')"
        )
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm008_participant_identity'")
    conn.close()
    with Store(project.db_path) as store, store.write():  # later migrations are applied
        migrations.apply(store.db)
    people = listing(project)
    assert people["Karim"]["same_label_as"] == people["Karim"]["id"]
    assert "plusieurs documents sous le même nom" in people["Karim"]["to_confirm"]
    assert people["Locuteur·rice 2"]["same_label_as"] == people["Zoé"]["id"]
    assert run(project, "participants", "rename", "Léa", "--pseudonym", "Odile").exit_code == 0
    result = run(project, "participants", "confirm", "Karim", "--different")
    assert result.exit_code != 0 and "séparez-les" in result.stderr
    assert run(project, "participants", "confirm", "Karim", "--same").exit_code == 0
    assert listing(project)["Karim"]["same_label_as"] is None
