"""REFI-QDA files built in the tests the way real tools write them."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

from recits.exports.refi.schema import schema

NS = "urn:QDA-XML:project:1.0"


def utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def qde(name: str, users, codes, sources) -> str:  # type: ignore[no-untyped-def]
    """users: [(guid, name)]; codes: [(guid, name, [children])]; sources: [(guid, name,
    file, [(guid, name, start, end, code guid, user guid)])]."""

    def code_xml(guid: str, label: str, children) -> str:  # type: ignore[no-untyped-def]
        inner = "".join(code_xml(*c) for c in children)
        return f'<Code guid="{guid}" name={quoteattr(label)} isCodable="true">{inner}</Code>'

    parts = [
        f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name={quoteattr(name)}>'
    ]
    parts.append(
        "<Users>" + "".join(f'<User guid="{g}" name="{n}"/>' for g, n in users) + "</Users>"
    )
    parts.append("<CodeBook><Codes>" + "".join(code_xml(*c) for c in codes) + "</Codes></CodeBook>")
    parts.append("<Sources>")
    for guid, source_name, file, selections in sources:
        parts.append(
            f'<TextSource guid="{guid}" name={quoteattr(source_name)}'
            f' plainTextPath="internal://{file}">'
        )
        for sel_guid, sel_name, start, end, code, user in selections:
            parts.append(
                f'<PlainTextSelection guid="{sel_guid}" name={quoteattr(sel_name)}'
                f' startPosition="{start}" endPosition="{end}" creatingUser="{user}">'
                f'<Coding guid="{sel_guid[:-4]}9999" creatingUser="{user}">'
                f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
            )
        parts.append("</TextSource>")
    parts.append("</Sources></Project>")
    xml = "".join(parts)
    assert schema("project").validate(etree.fromstring(xml.encode()))
    return xml


def qdpx(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path
