"""`recits bundle` / `recits merge`: work done apart brought together, by UUID."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from hashlib import sha256

import pytest

from recits.models import NewCoding
from recits.project import Project
from tests.conftest import add_doc, db_snapshot, parsed, run

MERGE_CONFLICTS = 3


def base_project(tmp_path, name="base"):
    project = Project.init(tmp_path / name, coder="Claire")
    with project.store() as store:
        project.sync_codebook(store)
        doc = parsed(
            ("Nadia", "On se forme entre pairs, la formation compte."),
            ("Karim", "La légitimité vient avec le temps."),
            ("Nadia", "Et la charge mentale est lourde."),
        )
        add_doc(store, doc, "Réunion", text_sha256=sha256(doc.text.encode()).hexdigest())
    return project


def copy_of(project, tmp_path, name):
    shutil.copytree(project.root, tmp_path / name)
    return Project.open(tmp_path / name)


def state(project):
    """What a merge must make equal: the work and its people, not the local caches and logs."""
    conn = sqlite3.connect(project.db_path)
    queries = {
        "coders": "SELECT id, name, colour, created_at, deleted_at, merged_into FROM coders",
        "participants": "SELECT id, pseudonym, role, aliases, consent, consent_scope,"
        " consent_date, same_label_as, merged_into, deleted_at FROM participants",
        "documents": "SELECT id, text_sha256, title, kind, date, deleted_at FROM documents",
        "turns": "SELECT document_id, position, participant_id, speaker, start_char, end_char"
        " FROM turns",
        "consent": "SELECT id, participant_id, consent, consent_scope, consent_date"
        " FROM consent_events",
        "codings": "SELECT id, document_id, start_char, end_char, text, code_id, coder,"
        " coder_id, origin, memo, created_at, deleted_at, deleted_by FROM codings",
        "decisions": "SELECT id, coder, coder_id, decision, deleted_at FROM suggestion_decisions",
        "conflicts": "SELECT id, kind, values_json, kept FROM merge_conflicts",
        "names": "SELECT id, name_key, decision, participant_id, deleted_at FROM name_decisions",
        "neither": "SELECT id, document_id, first_coding_id, second_coding_id, deleted_at"
        " FROM consensus_rejections",
        "memos": "SELECT id, target_type, target_id, author, text, deleted_at FROM memos",
    }
    try:
        return {k: sorted(map(repr, conn.execute(q).fetchall())) for k, q in queries.items()}
    finally:
        conn.close()


def coded(project, coder, start, end, code, memo=""):
    with project.store() as store:
        doc = store.documents()[0]
        return store.add_coding(NewCoding(doc.id, start, end, code, coder, memo=memo))


def bundle(project, tmp_path, name):
    path = tmp_path / f"{name}.recits"
    result = run(project, "bundle", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_two_coders_apart_then_merged_both_ways(tmp_path):
    base = base_project(tmp_path)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    mine = coded(a, "Samia", 8, 30, "formation", memo="entre pairs")
    theirs = coded(b, "Jo", 52, 62, "legitimite")
    same_a = coded(a, "Claire", 0, 5, "formation")
    same_b = coded(b, "Claire", 0, 5, "formation")  # the same coding made twice, apart
    bundle_a, bundle_b = bundle(a, tmp_path, "a"), bundle(b, tmp_path, "b")

    result = run(a, "merge", str(bundle_b))
    assert result.exit_code == 0, result.output
    assert "extrait(s) codé(s) : 2 ajouté(s)" in result.output
    assert run(b, "merge", str(bundle_a)).exit_code == 0
    assert state(a) == state(b)
    with a.store() as store:
        live = {(c.coder, c.code_id, c.text) for c in store.codings()}
        ids = {c.id for c in store.codings()}
        team = sorted(c.name for c in store.coders())
    assert ("Samia", "formation", "forme entre pairs, la f") in live or mine.id in ids
    assert {mine.id, theirs.id, min(same_a.id, same_b.id)} <= ids
    assert max(same_a.id, same_b.id) not in ids  # one coding, not two, for one same gesture
    assert team == ["Claire", "Jo", "Samia"]

    before = db_snapshot(a.db_path)
    again = run(a, "merge", str(bundle_b))
    assert again.exit_code == 0 and "Rien de nouveau" in again.output
    assert db_snapshot(a.db_path) == before


def test_merge_from_a_project_folder_and_tombstones_win(tmp_path):
    base = base_project(tmp_path)
    first = coded(base, "Claire", 8, 30, "formation")
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    with a.store() as store:
        store.remove_coding(first.id, "Claire")
    result = run(b, "merge", str(a.root))
    assert result.exit_code == 0, result.output
    with b.store() as store:
        assert store.codings() == []
    assert run(a, "merge", str(b.root)).exit_code == 0
    assert state(a) == state(b)
    assert "ce projet-ci" in run(a, "merge", str(a.root)).output


def test_conflicts_are_listed_kept_and_exit_3(tmp_path):
    base = base_project(tmp_path)
    coding = coded(base, "Claire", 8, 30, "formation")
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    for project, pseudonym, memo, consent in (
        (a, "Nadia", "entre pairs", "accordé"),
        (b, "Nadège", "la formation", "refusé"),
    ):
        with project.store() as store:
            store.set_coding_memo(coding.id, memo, "Claire")
        done = run(project, "participants", "consent", "Nadia", consent, "--scope", "articles",
                   "--date", "2024-03-01")  # fmt: skip
        assert done.exit_code == 0, done.output
        if pseudonym != "Nadia":
            renamed = run(project, "participants", "rename", "Nadia", "--pseudonym", pseudonym)
            assert renamed.exit_code == 0, renamed.output
    bundle_a, bundle_b = bundle(a, tmp_path, "a"), bundle(b, tmp_path, "b")
    result = run(a, "merge", str(bundle_b))
    assert result.exit_code == MERGE_CONFLICTS, result.output
    assert "3 conflit(s) à trancher" in result.output
    assert "deux pseudonymes : « Nadia » et « Nadège »" in result.output
    assert "deux décisions de consentement le 2024-03-01" in result.output
    assert "deux mémos" in result.output
    assert run(b, "merge", str(bundle_a)).exit_code == MERGE_CONFLICTS
    assert state(a) == state(b)  # a deterministic stand-in meanwhile, the same both ways
    again = run(a, "merge", str(bundle_b), "--json")
    assert again.exit_code == MERGE_CONFLICTS  # still open, until the team settles them
    shown = json.loads(again.output)
    assert len(shown["open"]) == 3 and shown["added"] == {}
    listed = run(a, "merge")
    assert (
        listed.exit_code == MERGE_CONFLICTS and "3 conflit(s) toujours à trancher" in listed.output
    )
    for conflict in shown["open"]:
        assert run(a, "merge", "--settle", conflict["id"][:8]).exit_code == 0
    assert run(a, "merge").exit_code == 0 and "Aucun conflit" in run(a, "merge").output


def _gz(data) -> bytes:

    return gzip.compress(json.dumps(data, ensure_ascii=False).encode())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "fichier vide : ce n'est pas un lot recits"),
        (b"\x1f\x8b\x08\x00garbage", "lot tronqué ou abîmé"),
        (b"{not json", "JSON invalide ligne 1"),
        (b'{"format": "autre"}', "ce fichier n'est pas un lot recits"),
        ("version", "lot au format 5, ce recits lit les formats 1 à 4 : mettez recits à jour"),
        ("truncated", "lot tronqué ou abîmé"),
        ("codebook", "codes inconnus ici : « hors-grille » (Hors grille) : 1 extrait(s)"),
        ("offsets", "lot incohérent : un passage de « codings » sort de son document"),
        ("text", "lot incohérent : le texte du document « Réunion » ne correspond pas"),
        ("missing", "lot abîmé : codings, ligne 1, champ « coder_id » manquant ou invalide"),
    ],
)
def test_bad_bundles_are_refused_and_change_nothing(tmp_path, content, message):
    base = base_project(tmp_path)
    coded(base, "Claire", 8, 30, "formation")
    other = copy_of(base, tmp_path, "autre")
    good = bundle(other, tmp_path, "bon")
    path = tmp_path / "lot.recits"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "truncated":
        path.write_bytes(good.read_bytes()[:-40])
    else:
        data = json.loads(gzip.decompress(good.read_bytes()))
        coding = data["codings"][0]
        if content == "version":
            data["version"] = 5
        elif content == "codebook":
            coding["code_id"] = "hors-grille"
            data["codes"]["hors-grille"] = "Hors grille"
        elif content == "offsets":
            coding["end_char"] = 10_000
        elif content == "text":
            data["documents"][0]["text"] += " (modifié)"
        elif content == "missing":
            del coding["coder_id"]
        path.write_bytes(_gz(data))
    before = db_snapshot(base.db_path)
    result = run(base, "merge", str(path))
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert str(path) in result.output or "codes inconnus" in result.output
    assert db_snapshot(base.db_path) == before


def test_a_bundle_bomb_is_refused_while_inflating(tmp_path, monkeypatch):

    import recits.bundle

    base = base_project(tmp_path)
    path = tmp_path / "bombe.recits"
    path.write_bytes(gzip.compress(b" " * (8 * 1024 * 1024)))  # 8 MB of blanks, ~8 kB packed
    monkeypatch.setattr(recits.bundle, "MAX_BYTES", 1024 * 1024)
    before = db_snapshot(base.db_path)
    result = run(base, "merge", str(path))
    assert result.exit_code == 1 and "plus de 1 Mo une fois décompressé" in result.output
    assert db_snapshot(base.db_path) == before


def test_a_bundle_stays_out_of_exports_and_warns(tmp_path):
    base = base_project(tmp_path)
    refused = run(base, "bundle", str(base.exports_dir / "lot.recits"))
    assert refused.exit_code == 1 and "il ne va pas dans exports/" in refused.output
    assert not (base.exports_dir / "lot.recits").exists()
    allowed = run(base, "bundle", str(base.exports_dir / "lot.recits"), "--into-exports")
    assert allowed.exit_code == 0 and "vrais noms" in allowed.output
    assert "Aucun conflit" in run(base, "merge").output
    missing = run(base, "merge", str(tmp_path / "absent.recits"))
    assert missing.exit_code == 1 and "fichier introuvable" in missing.output


def test_a_bundle_carries_no_learnt_model_and_a_new_document_comes_whole(tmp_path):
    """A document only the other side imported arrives with its turns and speakers, and is
    found by search; nothing of the suggestion model travels."""
    base = base_project(tmp_path)
    other = copy_of(base, tmp_path, "autre")
    with other.store() as store:
        doc = parsed(("Fatou", "Le DU de pair-aidance m'a donné confiance."))
        added = add_doc(
            store, doc, "Entretien Fatou", text_sha256=sha256(doc.text.encode()).hexdigest()
        )
        store.add_coding(NewCoding(added.id, 0, 9, "formation", "Jo"))
    path = bundle(other, tmp_path, "autre")

    assert b"suggest_models" not in gzip.decompress(path.read_bytes())
    assert run(base, "merge", str(path)).exit_code == 0
    with base.store() as store:
        titles = [d.title for d in store.documents()]
        assert "Entretien Fatou" in titles
        fatou = store.resolve_document("Entretien Fatou")
        assert [t.speaker for t in store.turns(fatou.id)] == ["Fatou"]
        assert store.codings(document_id=fatou.id)[0].coder == "Jo"
        assert "Fatou" in store.document_speakers()[fatou.id]
    found = run(base, "search", "confiance")
    assert found.exit_code == 0 and "Entretien Fatou" in found.output


def test_a_code_renamed_on_one_copy_and_used_on_the_other_is_one_code(tmp_path):
    """Codes travel by UUID: « legitimite » renamed « reconnaissance » here, still used under
    its old id there; merged both ways, every coding is on the one code of each side."""
    base = base_project(tmp_path)
    shared = coded(base, "Claire", 52, 62, "legitimite")
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    renamed = run(a, "codebook", "rename", "legitimite", "--id", "reconnaissance", "--by", "Jo")
    assert renamed.exit_code == 0, renamed.output
    theirs = coded(b, "Samia", 8, 30, "legitimite")
    bundle_a, bundle_b = bundle(a, tmp_path, "a"), bundle(b, tmp_path, "b")

    result = run(a, "merge", str(bundle_b))
    assert result.exit_code == 0, result.output  # not « codes inconnus ici »
    with a.store() as store:
        codes = {c.id: c.code_id for c in store.codings()}
    assert codes == {shared.id: "reconnaissance", theirs.id: "reconnaissance"}
    assert run(b, "merge", str(bundle_a)).exit_code == 0
    with b.store() as store:
        codes = {c.id: c.code_id for c in store.codings()}
    assert codes == {shared.id: "legitimite", theirs.id: "legitimite"}  # its codebook's id
    before = db_snapshot(a.db_path)
    assert "Rien de nouveau" in run(a, "merge", str(bundle_b)).output
    assert db_snapshot(a.db_path) == before


def test_a_bundle_of_format_1_is_still_read(tmp_path):
    base = base_project(tmp_path)
    other = copy_of(base, tmp_path, "autre")
    mine = coded(other, "Samia", 8, 30, "formation")
    data = json.loads(gzip.decompress(bundle(other, tmp_path, "autre").read_bytes()))
    for key in ("code_uuids", "name_decisions", "consensus_rejections"):
        del data[key]
    path = tmp_path / "ancien.recits"
    path.write_bytes(_gz({**data, "version": 1}))
    assert run(base, "merge", str(path)).exit_code == 0
    with base.store() as store:
        assert [c.id for c in store.codings()] == [mine.id]


def _published_base(tmp_path):
    """tests.publishing's corpus (Rachid and Bruno not reviewed), with its texts' digests."""
    from tests.publishing import build

    base = Project.init(tmp_path / "base", coder="Claire")
    with base.store() as store:
        base.sync_codebook(store)
    build(base, review_names=False)
    with base.store() as store, store.write():
        for doc in store.documents():
            digest = sha256(store.document_text(doc.id).encode()).hexdigest()
            store.conn.execute(
                "UPDATE documents SET text_sha256 = ? WHERE id = ?", [digest, doc.id]
            )
    return base


def _names(project, *args):
    result = run(project, "names", "--json", *args)
    assert result.exit_code == 0, result.output
    return {n["name"]: n["status"] for n in json.loads(result.output)}


def test_reviewed_names_travel_and_need_no_second_review(tmp_path):
    base = _published_base(tmp_path)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    assert set(_names(a)) == {"Rachid", "Bruno"}
    assert run(b, "names", "attach", "Bruno", "--to", "Aurore").exit_code == 0
    assert run(b, "names", "dismiss", "Rachid", "--reason", "personnalité").exit_code == 0
    bundle_b = bundle(b, tmp_path, "b")

    result = run(a, "merge", str(bundle_b))
    assert result.exit_code == 0, result.output
    assert _names(a) == {}  # nothing left to review here
    assert _names(a, "--all") == _names(b, "--all")
    assert run(b, "merge", str(bundle(a, tmp_path, "a"))).exit_code == 0
    assert state(a) == state(b)


def test_a_name_dismissed_here_and_attached_there_is_a_conflict_and_stays_masked(tmp_path):
    base = _published_base(tmp_path)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    assert run(a, "names", "dismiss", "Bruno").exit_code == 0
    assert run(b, "names", "attach", "Bruno", "--to", "Aurore").exit_code == 0
    bundle_a, bundle_b = bundle(a, tmp_path, "a"), bundle(b, tmp_path, "b")

    result = run(a, "merge", str(bundle_b))
    assert result.exit_code == MERGE_CONFLICTS, result.output
    assert "le nom « Bruno » a été relu différemment" in result.output
    assert "gardé : rattaché à « Aurore »" in result.output
    assert run(b, "merge", str(bundle_a)).exit_code == MERGE_CONFLICTS
    assert state(a) == state(b)
    with a.store() as store:
        live = [(d.name, d.decision) for d in store.name_decisions()]
    assert live == [("Bruno", "attached")]  # the safe one meanwhile: masked, never leaked


def test_the_consensus_neither_travels(tmp_path):
    from recits.adjudication import Adjudication

    base = base_project(tmp_path)
    first = coded(base, "Claire", 8, 30, "formation")
    second = coded(base, "Samia", 8, 20, "formation")
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    with b.store() as store:
        adjudication = Adjudication(store, first.document_id, "Claire", "Samia", "Jo")
        adjudication.decide(0, "neither")
    assert run(a, "merge", str(bundle(b, tmp_path, "b"))).exit_code == 0
    with a.store() as store:
        adjudication = Adjudication(store, first.document_id, "Samia", "Claire", "Claire")
        assert (adjudication.items[0].pair, adjudication.decision(0)) == (
            (second.id, first.id), "neither")  # fmt: skip
    with b.store() as store:  # choosing again there: the « neither » goes, here too
        Adjudication(store, first.document_id, "Claire", "Samia", "Jo").decide(0, "first")
    assert run(a, "merge", str(bundle(b, tmp_path, "b2"))).exit_code == 0
    with a.store() as store:
        assert Adjudication(store, first.document_id, "Claire", "Samia", "Jo").decision(0) == (
            "first"
        )
        assert store.consensus_rejections(first.document_id) == set()


def test_memos_on_a_document_a_code_and_the_project_travel_and_merge_both_ways(tmp_path):
    from recits.models.memos import Memo

    base = base_project(tmp_path)
    a, b = copy_of(base, tmp_path, "a"), copy_of(base, tmp_path, "b")
    with a.store() as store:
        doc = store.documents()[0].id
        store.add_memos(
            [
                Memo("", "document", doc, "Claire", "relire la fin", "2021-01-02"),
                Memo("", "project", None, "Claire", "calendrier", "2021-01-03"),
            ]
        )
    with b.store() as store:
        store.add_memos([Memo("", "code", "formation", "Samia", "trop large ?", "2021-01-04")])
    from_a, from_b = bundle(a, tmp_path, "a"), bundle(b, tmp_path, "b")
    for project, other in ((a, from_b), (b, from_a)):
        result = run(project, "merge", str(other))
        assert result.exit_code == 0, result.output + result.stderr
        assert run(project, "merge", str(other)).exit_code == 0  # twice is once
    assert state(a) == state(b)
    with a.store() as store:
        assert [m.text for m in store.memos("document", doc)] == ["relire la fin"]
        assert [m.text for m in store.memos("code", "formation")] == ["trop large ?"]
        assert [m.text for m in store.memos("project", None)] == ["calendrier"]
