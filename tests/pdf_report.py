"""A French activity report typeset as a real PDF (reportlab, hyphenated by pyphen) and as the
hard-wrapped text one copies out of it, with what a reader should get back: its paragraphs,
headings, footnotes, sections and pages. Two layouts: one to tune the PDF reader on, one held
out (other fonts, margins, column width, paragraph marks) to measure it on."""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

HEADER = "Rapport d'activités 2020-2021 — Plateforme régionale du travail pair"
FOOTER = (
    "Rédaction : Claire Dubreuil et Samia Haddad, chargées de mission",
    "Plateforme régionale du travail pair · Auvergne-Rhône-Alpes",
)

SECTIONS = (
    "Le collectif des pair-e-s",
    "Accompagner les équipes",
    "Une logique de parcours",
    "Les structures partenaires",
    "Perspectives pour l'année à venir",
)

# Sentences of a report on peer work; words that hyphenate, inclusive writing, compounds.
SENTENCES = (
    "Le collectif a réuni les travailleur-euse-s pair-e-s tous les deux mois, en présentiel"
    " ou par visioconférence, pour partager leurs pratiques professionnelles.",
    "Certain-e-s participant-e-s ont souhaité promouvoir une logique de parcours plutôt qu'une"
    " logique de dispositifs, c'est-à-dire une continuité de l'accompagnement.",
    "Les chargées de mission ont rencontré vingt-quatre structures du secteur social et"
    " médico-social, dont plusieurs centres d'hébergement et des services hospitaliers.",
    "La reconnaissance du savoir expérientiel demeure fragile : les fiches de poste restent"
    " imprécises et les rémunérations inégales selon les établissements.",
    "Peut-être faudrait-il, disent les équipes, mieux préparer l'arrivée des professionnel-le-s"
    " pair-e-s et clarifier la place de chacun dans l'organisation.",
    "L'accompagnement des équipes passe par des temps d'analyse des pratiques, des formations"
    " communes et une supervision régulière des situations complexes.",
    "Les personnes accompagnées soulignent l'importance de rencontrer quelqu'un qui a traversé"
    " des difficultés comparables et qui en parle sans jugement.",
    "La coordination régionale a permis de mutualiser les outils, de documenter les expériences"
    " et de construire une culture professionnelle partagée.",
    "Plusieurs directions considèrent désormais le travail pair comme une compétence à part"
    " entière, indispensable à la transformation des pratiques institutionnelles.",
    "Les difficultés rencontrées concernent surtout l'isolement des salarié-e-s, la précarité"
    " des contrats et le manque de reconnaissance dans les conventions collectives.",
    "Nous avons également constaté une méfiance persistante de certaines équipes, inquiètes de"
    " voir leurs missions redéfinies sans concertation préalable.",
    "L'évaluation participative menée avec les usager-e-s montre une amélioration sensible de"
    " l'accès aux droits et de la continuité des soins.",
)

TESTIMONIES = (
    "Au début, je ne savais pas où me mettre : ni vraiment collègue, ni vraiment usager.",
    "Ce qui m'a aidée, c'est que l'équipe m'a demandé mon avis dès la première réunion.",
    "Mon parcours n'est pas un diplôme, mais c'est ce qui me permet de comprendre sans juger.",
)

# Testimonies set in italics without guillemets: a paragraph of its own, or a phrase inside one.
ITALIC_TESTIMONIES = (
    "On m'a fait confiance avant même que je me fasse confiance, et ça, je ne l'oublie pas.",
    "Je venais de la rue et je parlais enfin avec les équipes, pas seulement devant elles.",
)
INLINE_TESTIMONY = (
    "on ne m'a pas demandé d'oublier d'où je viens, on m'a demandé d'en faire quelque chose"
)
INLINE_LEAD = "Une travailleuse paire le résume ainsi :"

FOOTNOTE = (
    "Les entretiens ont été menés entre septembre 2020 et juin 2021 auprès de"
    " quarante-deux professionnel-le-s."
)


@dataclass(frozen=True)
class Layout:
    """How the report is set: fonts, sizes, margins, width, how paragraphs are marked."""

    name: str
    body_font: str = "Times-Roman"
    italic_font: str = "Times-Italic"
    heading_font: str = "Times-Bold"
    body_size: float = 11
    heading_size: float = 15
    leading: float = 14
    margin_left_cm: float = 2.5
    margin_right_cm: float = 2.5
    first_line_indent: float = 14  # points; 0: paragraphs marked by space between them
    space_between: float = 0
    page_number: str = "{n}"  # at the bottom centre
    header_page: bool = False  # the page number in the running header too


TUNED = Layout("tuned")
HELD_OUT = Layout(
    "held-out",
    body_font="Helvetica",
    italic_font="Helvetica-Oblique",
    heading_font="Helvetica-Bold",
    body_size=10,
    heading_size=12.5,
    leading=13,
    margin_left_cm=4.2,
    margin_right_cm=3.1,
    first_line_indent=0,
    space_between=7,
    page_number="— {n} —",
    header_page=True,
)


@dataclass(frozen=True)
class Block:
    """What a reader should find: a paragraph, a heading or a footnote, with its section."""

    text: str
    kind: str | None = None  # "heading" | "footnote" | None
    section: str | None = None
    italic: bool = False
    italic_phrase: str = ""  # a part of the text set in italics


@dataclass
class Report:
    blocks: list[Block]
    pages: dict[int, int] = field(default_factory=dict)  # block index -> page it starts on
    page_count: int = 0


def report_blocks(paragraphs: int = 24, seed: int = 7) -> list[Block]:
    """The report's content: sections of long paragraphs, testimonies, one footnote."""
    rng = random.Random(seed)
    blocks: list[Block] = []
    per_section = max(1, paragraphs // len(SECTIONS))
    count = 0
    chapter = 0
    while count < paragraphs:
        title = SECTIONS[chapter % len(SECTIONS)]
        chapter += 1
        heading = f"{chapter}. {title}"
        blocks.append(Block(heading, "heading", heading))
        for index in range(per_section):
            if count >= paragraphs:
                break
            if index == 2:
                quote = TESTIMONIES[count % len(TESTIMONIES)]
                blocks.append(Block(f"« {quote} »", None, heading, italic=True))
            if index == 3:
                quote = ITALIC_TESTIMONIES[count % len(ITALIC_TESTIMONIES)]
                blocks.append(Block(quote, None, heading, italic=True))
            size = rng.randint(4, 9)
            sentences = [SENTENCES[rng.randrange(len(SENTENCES))] for _ in range(size)]
            if index == 1:
                sentences.insert(size // 2, f"{INLINE_LEAD} {INLINE_TESTIMONY}.")
                blocks.append(
                    Block(" ".join(sentences), None, heading, italic_phrase=INLINE_TESTIMONY)
                )
            else:
                blocks.append(Block(" ".join(sentences), None, heading))
            count += 1
    return blocks


def write_pdf(path: Path, layout: Layout = TUNED, *, paragraphs: int = 24, seed: int = 7) -> Report:
    """Typeset the report; the footnote sits at the bottom of the page where its call is."""
    from reportlab.lib.enums import TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    blocks = report_blocks(paragraphs, seed)
    width, height = A4
    body = ParagraphStyle(
        "body",
        fontName=layout.body_font,
        fontSize=layout.body_size,
        leading=layout.leading,
        alignment=TA_JUSTIFY,
        firstLineIndent=layout.first_line_indent,
        spaceBefore=layout.space_between,
        hyphenationLang="fr_FR",
        embeddedHyphenation=1,
        uriWasteReduce=0.3,
    )
    quote = ParagraphStyle(
        "quote", parent=body, fontName=layout.italic_font, leftIndent=1 * cm, rightIndent=1 * cm,
        firstLineIndent=0, spaceBefore=layout.space_between + 4, spaceAfter=4,
    )  # fmt: skip
    heading = ParagraphStyle(
        "heading", fontName=layout.heading_font, fontSize=layout.heading_size,
        leading=layout.heading_size * 1.3, spaceBefore=14, spaceAfter=8,
    )  # fmt: skip
    report = Report(blocks)
    footnote_block = next(i for i, b in enumerate(blocks) if b.kind is None and i > 3)
    state = {"footnote_page": None, "next": 0}

    def decorate(canvas, doc) -> None:
        n = doc.page
        canvas.saveState()
        canvas.setFont(layout.body_font, layout.body_size - 2)
        header = HEADER + (f" — page {n}" if layout.header_page else "")
        canvas.drawString(layout.margin_left_cm * cm, height - 1.5 * cm, header)
        canvas.drawString(layout.margin_left_cm * cm, 1.6 * cm, FOOTER[0])
        canvas.drawString(layout.margin_left_cm * cm, 1.6 * cm - layout.body_size, FOOTER[1])
        canvas.drawCentredString(width / 2, 0.8 * cm, layout.page_number.format(n=n))
        if state["footnote_page"] == n:
            canvas.setFont(layout.body_font, layout.body_size - 3)
            lines = textwrap.wrap("1 " + FOOTNOTE, 110)
            for i, line in enumerate(lines):
                canvas.drawString(layout.margin_left_cm * cm, 3.3 * cm - i * 9, line)
        canvas.restoreState()

    frame = Frame(
        layout.margin_left_cm * cm,
        3.8 * cm,
        width - (layout.margin_left_cm + layout.margin_right_cm) * cm,
        height - 6.0 * cm,
        id="body",
    )

    class Doc(BaseDocTemplate):
        pass

    def paragraph_class(index: int) -> type:
        # Split parts of a paragraph are made with its class: the class knows its block.
        def draw_on(self, canvas, x, y, _sW=0) -> None:
            report.pages.setdefault(index, canvas.getPageNumber())
            if index == footnote_block and state["footnote_page"] is None:
                state["footnote_page"] = canvas.getPageNumber()  # printed at this page's end
            Paragraph.drawOn(self, canvas, x, y, _sW)

        return type(f"Block{index}", (Paragraph,), {"drawOn": draw_on})

    doc = Doc(str(path), pagesize=A4, title="Rapport d'activités", author="Plateforme")
    doc.addPageTemplates([PageTemplate("page", [frame], onPageEnd=decorate)])
    story = []
    for index, block in enumerate(blocks):
        style = heading if block.kind == "heading" else quote if block.italic else body
        text = block.text.replace("&", "&amp;").replace("<", "&lt;")
        if block.italic_phrase:
            text = text.replace(block.italic_phrase, f"<i>{block.italic_phrase}</i>", 1)
        if index == footnote_block:
            # The call goes at the end of the first sentence, so the paragraph's first part
            # (and so the page where its note is printed) holds it.
            head, dot, tail = text.partition(". ")
            text = f"{head}.<super>1</super> {tail}" if dot else text + "<super>1</super>"
        story.append(paragraph_class(index)(text, style))
    doc.build(story)
    report.page_count = doc.page
    report.blocks = blocks + [Block(f"1 {FOOTNOTE}", "footnote", None)]
    return report


def page_of(report: Report, text: str) -> int | None:
    """The page the first block with this text starts on."""
    index = next((i for i, b in enumerate(report.blocks) if b.text == text), None)
    return report.pages.get(index) if index is not None else None


def hard_wrapped(blocks: list[Block], *, width: int = 72, page_lines: int = 48) -> str:
    """The report as text copied out of its PDF: lines of ~`width` characters, words cut at
    line ends with a hyphen, a running header and footer with page numbers on each page,
    separated by form feeds, and a blank line between paragraphs."""
    import pyphen

    hyphenator = pyphen.Pyphen(lang="fr_FR")
    lines: list[str] = []
    for block in blocks:
        if block.kind == "footnote":
            continue
        lines.extend(_wrap(block.text, width, hyphenator))
        lines.append("")
    pages = [lines[i : i + page_lines] for i in range(0, len(lines), page_lines)]
    out = []
    for n, page in enumerate(pages, 1):
        out.append("\n".join([HEADER, "", *page, "", *FOOTER, str(n)]))
    return "\f".join(out) + "\n"


def _wrap(text: str, width: int, hyphenator) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
            continue
        room = width - len(line) - 2
        cut = None
        if "-" in word:  # « pair-e-s » cut at one of its own hyphens, as typesetters do
            hyphens = [i for i, c in enumerate(word) if c == "-" and i + 1 <= room]
            if hyphens:
                cut = (word[: hyphens[-1]], word[hyphens[-1] + 1 :])
        else:
            for head, tail in hyphenator.iterate(word):
                if len(head) <= room and len(head) >= 2 and len(tail) >= 3:
                    cut = (head, tail)
                    break
        if cut:
            lines.append(f"{line} {cut[0]}-")
            line = cut[1]
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def score(report: Report, parsed) -> dict[str, object]:
    """How well a parsed document gives the report back: paragraphs found exactly, words
    wrong (split, joined or lost), sections and pages right, footnotes, header/footer left."""
    import difflib

    expected = [b for b in report.blocks if b.kind != "footnote"]  # the note comes last
    turns = [t for t in parsed.turns if t.kind != "footnote"]
    texts = [parsed.text[t.start_char : t.end_char].replace("¹", "") for t in turns]
    pairs = difflib.SequenceMatcher(a=[b.text for b in expected], b=texts, autojunk=False)
    found = [(a + i, turns[b + i]) for a, b, n in pairs.get_matching_blocks() for i in range(n)]
    mine = " ".join(parsed.text[t.start_char : t.end_char] for t in turns).replace("¹", "")
    theirs = " ".join(b.text for b in expected)
    words = difflib.SequenceMatcher(a=theirs.split(), b=mine.split(), autojunk=False)
    wrong = sum(
        max(a2 - a1, b2 - b1) for op, a1, a2, b1, b2 in words.get_opcodes() if op != "equal"
    )
    notes = [parsed.text[t.start_char : t.end_char] for t in parsed.turns if t.kind == "footnote"]
    leftovers = sum(parsed.text.count(line) for line in (HEADER, *FOOTER))
    return {
        "paragraphs_expected": len(expected),
        "paragraphs_found": len(turns),
        "paragraphs_exact": round(len(found) / len(expected), 3),
        "words": len(theirs.split()),
        "words_wrong": wrong,
        "sections_right": round(
            sum(expected[i].section == t.section for i, t in found) / len(found), 3
        ),
        "pages_right": round(sum(report.pages.get(i) == t.page for i, t in found) / len(found), 3),
        "headings_right": sum(expected[i].kind == t.kind == "heading" for i, t in found),
        "headings_expected": sum(b.kind == "heading" for b in expected),
        "footnotes": len(notes),
        "header_footer_left": leftovers,
    }
