"""SVG snapshots pin the look of the main screens at a fixed size (update: --snapshot-update)."""

from __future__ import annotations

from recits.tui.app import RecitsApp

SIZE = (100, 30)


async def settled(pilot) -> None:
    """The corpus rows come from a worker: wait for it, so the picture never catches it midway."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_corpus_screen(tui_project, snap_compare):
    assert snap_compare(
        RecitsApp(tui_project, "Claire", preload_model=False),
        terminal_size=SIZE,
        run_before=settled,
    )


def test_corpus_screen_at_80_by_24_shows_the_source(tui_project, snap_compare):
    """The line under the table says where the document under the cursor comes from."""
    with tui_project.store() as store:
        first = store.documents()[0]
        store.set_document_source(
            first.id, source="Entretien enregistré par la plateforme, Lyon, mars 2021",
            published=False, actor="Claire",
        )  # fmt: skip
    assert snap_compare(
        RecitsApp(tui_project, "Claire", preload_model=False),
        terminal_size=(80, 24),
        run_before=settled,
    )


def test_coding_view_with_a_coding(tui_project, snap_compare):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    assert snap_compare(
        app, terminal_size=(120, 30), run_before=settled, press=["enter", "down", "2", "down"]
    )


def test_code_picker(tui_project, snap_compare):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    assert snap_compare(
        app, terminal_size=SIZE, run_before=settled, press=["enter", "c", "f", "o", "r"]
    )


def test_codebook_screen(tui_project, snap_compare):
    assert snap_compare(
        RecitsApp(tui_project, "Claire", preload_model=False),
        terminal_size=SIZE,
        run_before=settled,
        press=["f6"],
    )


def test_coding_view_at_80_by_24(tui_project, snap_compare):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    assert snap_compare(
        app, terminal_size=(80, 24), run_before=settled, press=["enter", "down", "1"]
    )
