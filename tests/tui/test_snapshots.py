"""SVG snapshots pin the look of the main screens at a fixed size (update: --snapshot-update)."""

from __future__ import annotations

from recits.tui.app import RecitsApp

SIZE = (100, 30)


def test_corpus_screen(tui_project, snap_compare):
    assert snap_compare(RecitsApp(tui_project, "Claire", preload_model=False), terminal_size=SIZE)


def test_coding_view_with_a_coding(tui_project, snap_compare):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    assert snap_compare(app, terminal_size=(120, 30), press=["enter", "down", "2", "down"])


def test_code_picker(tui_project, snap_compare):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    assert snap_compare(app, terminal_size=SIZE, press=["enter", "c", "f", "o", "r"])


def test_codebook_screen(tui_project, snap_compare):
    assert snap_compare(
        RecitsApp(tui_project, "Claire", preload_model=False), terminal_size=SIZE, press=["f6"]
    )


def test_coding_view_at_80_by_24(tui_project, snap_compare):
    app = RecitsApp(tui_project, "Claire", preload_model=False)
    assert snap_compare(app, terminal_size=(80, 24), press=["enter", "down", "1"])
