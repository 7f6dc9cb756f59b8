"""The dated consent ledger: the status is the latest decision by date, not by typing order."""

from __future__ import annotations

import itertools
import json
import sqlite3
from datetime import date as Date
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recits import participants as people
from recits.consent import ConsentStatus, effective_date, ledger, replay
from recits.errors import RecitsError
from recits.models import ConsentEvent
from recits.store import Store
from tests.conftest import add_doc, db_snapshot, parsed, run
from tests.exports.test_excerpts import export
from tests.publishing import build

AURORE_SPEECH = "Moi je suis arrivée au CAARUD en 2018"


def listing(project) -> dict[str, dict]:
    result = run(project, "participants", "--json")
    assert result.exit_code == 0, result.stderr
    return {p["pseudonym"]: p for p in json.loads(result.output)}


def consent(project, *args: str):
    result = run(project, "participants", "consent", *args)
    assert result.exit_code == 0, result.stderr
    return result.output


# -- the case ----------------------------------------------------------------------------
def test_an_old_consent_form_typed_after_a_withdrawal_does_not_make_the_person_publishable(
    project,
):
    build(project)  # Aurore agreed for articles on 2021-03-01
    consent(project, "Aurore", "accordé", "--scope", "articles", "--date", "2021-01-15")
    said = consent(project, "Aurore", "retiré", "--date", "2021-06-10")
    assert "« Aurore » : consentement retiré le 2021-06-10" in said
    said = consent(project, "Aurore", "accordé", "--scope", "articles", "--date", "2020-12-03")
    assert (
        "décision « accordé (articles) » du 2020-12-03 enregistrée dans l'historique, mais"
        " antérieure à la décision en vigueur (retiré le 2021-06-10) : le statut reste"
        " « retiré »"
    ) in said.replace("\n", " ")
    aurore = listing(project)["Aurore"]
    assert (aurore["consent"], aurore["consent_scope"], aurore["consent_date"]) == (
        "retiré", [], "2021-06-10",
    )  # fmt: skip
    history = json.loads(run(project, "participants", "history", "Aurore", "--json").output)
    assert [h["consent_date"] for h in history] == [
        "2020-12-03", "2021-01-15", "2021-03-01", "2021-06-10",
    ]  # fmt: skip
    assert [h["in_force"] for h in history] == [False, False, False, True]
    path = export(project, "md")
    assert AURORE_SPEECH not in path.read_text(encoding="utf-8")
    result = run(project, "export", "excerpts", "--format", "md", "--preview")
    assert "Aurore (4)" in result.output  # left out for lack of consent, and said so


def test_on_the_same_date_the_later_entry_wins(project):
    build(project)
    consent(project, "Aurore", "retiré", "--date", "2021-06-10")
    consent(project, "Aurore", "accordé", "--scope", "bd", "--date", "2021-06-10")
    assert listing(project)["Aurore"]["consent_scope"] == ["bd"]


def test_a_withdrawal_of_one_use_is_replayed_in_date_order(project):
    build(project)
    consent(project, "Aurore", "accordé", "--scope", "articles,bd", "--date", "2021-04-01")
    said = consent(project, "Aurore", "retiré", "--scope", "bd", "--date", "2021-06-01")
    assert "consentement accordé (articles) le 2021-06-01" in said
    # Typed later, dated in between: articles withdrawn in May, then bd in June, nothing left.
    said = consent(project, "Aurore", "retiré", "--scope", "articles", "--date", "2021-05-01")
    assert "antérieure à la décision en vigueur (retiré pour bd le 2021-06-01)" in said
    assert "le statut passe de « accordé (articles) » à « retiré »" in said
    assert listing(project)["Aurore"]["consent"] == "retiré"
    text = run(project, "participants", "history", "Aurore").output
    lines = text.splitlines()
    assert lines[-3].startswith("2021-04-01  accordé (articles, bd)  (saisi par Claire")
    assert lines[-2].startswith("2021-05-01  retiré pour articles → accordé (bd)")
    assert lines[-1].startswith("2021-06-01  retiré pour bd → retiré") and "en vigueur" in text


# -- any typing order gives the same status ------------------------------------------------------
CONSENTS = ("accordé", "refusé", "retiré", "inconnu")
decision = st.tuples(
    st.sampled_from(CONSENTS),
    st.lists(st.sampled_from(["articles", "bd"]), unique=True, max_size=2),
)


def _event(n: int, day: Date, consent: str, scope: list[str]) -> ConsentEvent:
    if consent == "accordé" and not scope:
        scope = ["articles"]
    if consent == "inconnu":
        scope = []
    return ConsentEvent("p", consent, tuple(scope), day.isoformat(), "Claire", f"2022-01-{n:02d}")


@given(
    decisions=st.lists(decision, min_size=1, max_size=6),
    days=st.lists(st.integers(0, 2000), min_size=6, max_size=6, unique=True),
    order=st.randoms(use_true_random=False),
)
def test_any_typing_order_of_dated_decisions_gives_the_same_status(decisions, days, order):
    start = Date(2018, 1, 1)
    dated = [
        (start + timedelta(days=d), consent, scope)
        for d, (consent, scope) in zip(days, decisions, strict=False)
    ]
    in_date = [_event(i + 1, *item) for i, item in enumerate(sorted(dated))]
    typed = list(dated)
    order.shuffle(typed)
    shuffled = [_event(i + 1, *item) for i, item in enumerate(typed)]  # typed in this order
    assert replay(shuffled) == replay(in_date)
    assert ledger(shuffled)[-1].status == replay(in_date)


@settings(max_examples=25, deadline=None)
@given(
    decisions=st.lists(decision, min_size=1, max_size=5),
    days=st.lists(st.integers(0, 2000), min_size=5, max_size=5, unique=True),
)
def test_the_stored_status_is_the_same_for_every_typing_order(decisions, days):
    start = Date(2018, 1, 1)
    dated = [
        ((start + timedelta(days=d)).isoformat(), c, s)
        for d, (c, s) in zip(days, decisions, strict=False)
    ]
    seen = set()
    for typed in itertools.islice(itertools.permutations(dated), 6):
        with Store(":memory:") as store:
            add_doc(store, parsed(("Nadia", "Bonjour.")), "Réunion")
            for when, consent, scope in typed:
                if consent == "accordé" and not scope:
                    scope = ["articles"]
                people.set_consent(store, "Nadia", consent, scope=scope, date=when)
            p = store.participants()[0]
            seen.add((p.consent, p.consent_scope, p.consent_date))
    assert len(seen) == 1


def test_a_status_is_what_the_ledger_adds_up_to():
    def e(consent: str, scope: tuple[str, ...], day: str, n: int) -> ConsentEvent:
        return ConsentEvent("p", consent, scope, day, None, f"2022-01-0{n}")

    assert replay([]) == ConsentStatus("inconnu", (), None)
    events = [
        e("accordé", ("articles", "bd"), "2021-01-01", 1),
        e("retiré", ("bd",), "2021-06-01", 2),
        e("accordé", ("articles",), "2020-12-01", 3),
    ]
    assert replay(events) == ConsentStatus("accordé", ("articles",), "2021-06-01")
    assert replay(events).may_quote("articles") and not replay(events).may_quote("bd")


# -- bad input -----------------------------------------------------------------------------------
TOMORROW = (Date.today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Aurore", "retiré", "--date", "2021-02-30"], "date invalide : « 2021-02-30 »"),
        (["Aurore", "retiré", "--date", "hier"], "date invalide : « hier »"),
        (["Aurore", "retiré", "--date", "20210301"], "date invalide : « 20210301 »"),
        (["Aurore", "retiré", "--date", "01/03/2021"], "date invalide : « 01/03/2021 »"),
        (["Aurore", "retiré", "--date", "2021-13-01"], "date invalide"),
        (
            ["Aurore", "retiré", "--date", TOMORROW],
            f"date de la décision dans le futur : {TOMORROW}",
        ),
        (["Aurore", "accordé", "--scope", "bd", "--date", "2999-01-01"], "dans le futur"),
        (["Personne", "retiré", "--date", "2021-03-01"], "participant·e inconnu·e : « Personne »"),
        (["Aurore", "retiré", "--scope", "radio"], "portée inconnue : « radio »"),
    ],
)
def test_bad_consent_input_is_refused_in_french_and_changes_nothing(project, args, message):
    build(project)
    before = db_snapshot(project.db_path)
    result = run(project, "participants", "consent", *args)
    assert result.exit_code != 0
    assert message in result.stderr and result.stderr.startswith("Erreur : ")
    assert db_snapshot(project.db_path) == before


def test_an_effective_date_is_today_by_default_and_never_later():
    today = Date(2021, 6, 10)
    assert effective_date(None, today) == effective_date("  ", today) == "2021-06-10"
    assert effective_date("2021-06-10", today) == "2021-06-10"
    with pytest.raises(RecitsError, match="dans le futur"):
        effective_date("2021-06-11", today)


def test_history_of_an_unknown_participant_is_refused(project):
    build(project)
    result = run(project, "participants", "history", "Personne")
    assert result.exit_code == 1 and "participant·e inconnu·e" in result.stderr


# -- migration of existing projects --------------------------------------------------------------
def _as_before_m009(project) -> None:
    """The project as an older recits left it: no export records, consent typed in order."""
    conn = sqlite3.connect(project.db_path)
    with conn:
        conn.execute("DROP TABLE export_participants")
        conn.execute("DROP TABLE exports")
        # m009, and the (idempotent) ones after it, so that opening the project migrates it
        conn.execute("DELETE FROM _sqlite_migrations WHERE name >= 'm009'")
    conn.close()


def test_existing_projects_are_replayed_in_date_order_and_lose_nothing(project):
    with project.store() as store:
        add_doc(store, parsed(("Nadia", "Bonjour."), ("Karim", "Salut."), ("Zoé", "Oui.")))
        ids = {p.pseudonym: p.id for p in store.participants()}
    _as_before_m009(project)
    conn = sqlite3.connect(project.db_path)
    with conn:
        rows = [  # as the old code stored them: the status, in typing order
            ("e1", ids["Nadia"], "accordé", '["articles"]', "2021-01-15", "2022-01-01T10:00"),
            ("e2", ids["Nadia"], "retiré", "[]", "2021-06-10", "2022-01-02T10:00"),
            ("e3", ids["Nadia"], "accordé", '["articles"]', "2020-12-03", "2022-01-03T10:00"),
            ("e4", ids["Zoé"], "accordé", '["articles", "bd"]', "2021-01-01", "2022-01-01T10:00"),
            ("e5", ids["Zoé"], "accordé", '["articles"]', None, "2022-02-01T10:00"),
        ]
        conn.executemany(
            "INSERT INTO consent_events (id, participant_id, consent, consent_scope,"
            " consent_date, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, 'Claire', ?)",
            [(i, p, c, s, d, at) for i, p, c, s, d, at in rows],
        )
        cached = [
            (ids["Nadia"], "accordé", '["articles"]', "2020-12-03"),  # the bug: typed last
            (ids["Karim"], "accordé", '["articles", "bd"]', "2020-05-01"),  # before any history
            (ids["Zoé"], "accordé", '["articles"]', None),
        ]
        for pid, c, s, d in cached:
            conn.execute(
                "UPDATE participants SET consent = ?, consent_scope = ?, consent_date = ?"
                " WHERE id = ?",
                [c, s, d, pid],
            )
        conn.execute(
            "INSERT INTO audit (at, actor, action, details) VALUES (?, 'Samia',"
            " 'export-excerpts', ?)",
            [
                "2022-01-05T10:00:00",
                json.dumps({"file": "/ailleurs/extraits.docx", "format": "docx", "sha256": "ab",
                            "count": 7, "filters": {"scope": "articles"}}),
            ],
        )  # fmt: skip
    conn.close()
    with project.store() as store:  # opening migrates
        assert "m009_consent_ledger" in store.applied_migrations()
        people_now = {p.pseudonym: p for p in store.participants()}
        nadia, karim, zoe = (people_now[n] for n in ("Nadia", "Karim", "Zoé"))
        assert (nadia.consent, nadia.consent_scope, nadia.consent_date) == (
            "retiré", (), "2021-06-10",
        )  # fmt: skip
        assert [e.id for e in store.consent_history(nadia.id)] == ["e1", "e2", "e3"]
        [first] = store.consent_history(karim.id)  # the old status is now its first decision
        assert (first.consent, first.consent_scope, first.consent_date) == (
            "accordé", ("articles", "bd"), "2020-05-01",
        )  # fmt: skip
        assert (karim.consent, karim.consent_scope) == ("accordé", ("articles", "bd"))
        assert [e.consent_date for e in store.consent_history(zoe.id)] == [
            "2021-01-01", "2022-02-01",
        ]  # fmt: skip
        assert (zoe.consent, zoe.consent_scope) == ("accordé", ("articles",))
        replayed = [d for _at, _a, action, d in store.audit_log() if action == "consent-replayed"]
        assert [d["participant"] for d in replayed] == [nadia.id]
        assert replayed[0]["before"]["consent"] == "accordé"
        [old] = store.export_records()
        assert (old.file, old.format, old.excerpts, old.quoted_known) == (
            "/ailleurs/extraits.docx", "docx", 7, False,
        )  # fmt: skip
    result = run(project, "exports", "--participant", "Nadia")
    assert "non enregistré (à vérifier)" in result.output
    assert "absent (supprimé ou déplacé)" in result.output
