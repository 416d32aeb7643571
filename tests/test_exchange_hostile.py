"""Reading a codebook or project that is broken or made to harm: each is refused with one
clear line, nothing is written; what reader does not keep is named in one message."""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree

import pytest

from reader.exchange import ExchangeError, Limits, project_archive, read_codebook, read_project
from reader.exchange.read import parse_project
from reader.exchange.write import project_xml
from tests.exchange_samples import project_schema, sample_project

P = 'xmlns="urn:QDA-XML:project:1.0"'
G = "00000000-0000-4000-8000-00000000000"  # + one hex digit


def zip_of(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as z:
        for name, data in entries:
            z.writestr(name, data)
    return buffer.getvalue()


def sample_entries() -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(project_archive(sample_project()))) as z:
        return [(n, z.read(n)) for n in z.namelist()]


def refused(tmp_path: Path, data: bytes, match: str, limits: Limits | None = None,
            name: str = "bad.qdpx") -> str:
    """Read ``data`` as a project: it must be refused with one line matching ``match``, and
    the folder must be left as it was."""
    path = tmp_path / name
    path.write_bytes(data)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(ExchangeError) as info:
        read_project(path, limits) if limits else read_project(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(name + ": ")
    assert re.search(match, message), message
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    return message


def test_not_a_zip(tmp_path: Path):
    refused(tmp_path, b"<Project/>", "not a zip file")
    refused(tmp_path, project_archive(sample_project())[:-200], "not a zip file")


def test_no_project_file_in_the_zip(tmp_path: Path):
    refused(tmp_path, zip_of([("readme.txt", b"hi")]), "no project.qde in the archive")


@pytest.mark.parametrize("name", ["../evil.txt", "Sources/../../evil.txt", "/etc/evil",
                                  "C:/Windows/evil.txt", "..\\evil.txt", "Sources\\..\\..\\x"])
def test_an_entry_that_points_outside_the_archive(tmp_path: Path, name: str):
    refused(tmp_path, zip_of([*sample_entries(), (name, b"x")]), "points outside the archive")


def test_the_same_entry_twice(tmp_path: Path):
    entries = sample_entries()
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = zip_of([*entries, entries[1]])
    refused(tmp_path, data, "is in the archive twice")


def test_a_source_path_that_points_outside_the_archive(tmp_path: Path):
    entries = sample_entries()
    qde = entries[0][1].replace(b'plainTextPath="internal://', b'plainTextPath="internal://../',
                                1)
    refused(tmp_path, zip_of([("project.qde", qde), *entries[1:]]), "points outside the archive")


def test_a_source_whose_text_is_missing_or_not_utf8(tmp_path: Path):
    entries = sample_entries()
    refused(tmp_path, zip_of(entries[:-1]), r"text 'internal://.*\.txt' is not in the archive")
    broken = [*entries[:-1], (entries[-1][0], "café".encode("latin-1"))]
    refused(tmp_path, zip_of(broken), "is not UTF-8")


def test_zip_bomb_by_ratio(tmp_path: Path):
    data = zip_of([*sample_entries(), ("Sources/bomb.txt", b"\0" * (50 * 1024 * 1024))])
    assert len(data) < 200_000
    refused(tmp_path, data, r"entry 'Sources/bomb.txt' unpacks to 50.0 MB from .* \(a zip bomb\?\)")


def test_too_many_entries_too_large_entries_too_much_in_all(tmp_path: Path):
    entries = sample_entries()
    refused(tmp_path, zip_of(entries), r"3 entries \(more than 2\)", Limits(entries=2))
    biggest = max(len(d) for _, d in entries)
    refused(tmp_path, zip_of(entries), "unpacks to .* bytes \\(more than 1,000 bytes\\)",
            Limits(entry_bytes=1000))
    refused(tmp_path, zip_of(entries), "the entries unpack to more than",
            Limits(total_bytes=biggest + 10))
    refused(tmp_path, zip_of(entries), r"the file is .* \(more than 100 bytes\)",
            Limits(file_bytes=100))


def _patch_central_size(data: bytes, name: bytes, size: int) -> bytes:
    """Make the zip's directory say that entry ``name`` unpacks to ``size`` bytes."""
    at = data.index(b"PK\x01\x02")
    while True:
        n = struct.unpack("<H", data[at + 28 : at + 30])[0]
        if data[at + 46 : at + 46 + n] == name:
            return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]
        at = data.index(b"PK\x01\x02", at + 4)


def test_a_directory_that_lies_about_the_unpacked_size(tmp_path: Path):
    entries = sample_entries()
    data = zip_of(entries)
    lying = _patch_central_size(data, b"project.qde", 100)
    refused(tmp_path, lying, "entry 'project.qde' (unpacks to more than it declares|is damaged)")


def test_an_encrypted_entry(tmp_path: Path):
    data = bytearray(zip_of(sample_entries()))
    at = data.index(b"PK\x01\x02")
    data[at + 8] |= 0x1  # the central directory's "encrypted" flag
    refused(tmp_path, bytes(data), "entry 'project.qde' is encrypted")


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol3;"/>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Description>&x;</Description></Project>"""


@pytest.mark.parametrize("qde", [LAUGHS, EXTERNAL, b'<!DOCTYPE Project SYSTEM "http://x/">'
                                 b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>'])
def test_xml_with_a_dtd_or_entities(tmp_path: Path, qde: bytes):
    refused(tmp_path, zip_of([("project.qde", qde)]), "declares a DTD or entities")
    path = tmp_path / "bad.qdc"
    path.write_bytes(qde.replace(b"project:1.0", b"codebook:1.0").replace(b"Project", b"CodeBook"))
    with pytest.raises(ExchangeError, match="declares a DTD or entities"):
        read_codebook(path)


def test_xml_that_is_not_well_formed_or_not_a_project(tmp_path: Path):
    refused(tmp_path, zip_of([("project.qde", b"<Project")]), "not well-formed XML")
    refused(tmp_path, zip_of([("project.qde", b'<Project name="x"/>')]),
            "not a QDA-XML project .* expected Project in urn:QDA-XML:project:1.0")


def _replace_qde(fn: Callable[[str], str]) -> bytes:
    entries = sample_entries()
    return zip_of([("project.qde", fn(entries[0][1].decode()).encode()), *entries[1:]])


@pytest.mark.parametrize(("edit", "match"), [
    (lambda x: x.replace('startPosition="', 'startPosition="x', 1),
     r"PlainTextSelection\[1\]: startPosition 'x\d+' is not an integer"),
    (lambda x: x.replace(' isCodable="true"', "", 1), "attribute isCodable is missing"),
    (lambda x: x.replace('color="#d62728"', 'color="red"'), "color 'red' is not a colour"),
    (lambda x: x.replace("<Users>", "<Users><Extra/>"), "unexpected element Extra"),
    (lambda x: x.replace('<Project xmlns="urn:QDA-XML:project:1.0" name="Russia and North Korea"',
                         f'<Project {P}'), "attribute name is missing"),
    (lambda x: re.sub(r"(  <Notes>.*?  </Notes>\n)(  <Description>.*?</Description>\n)",
                      r"\2\1", x, flags=re.S), "misplaced element Notes"),
    (lambda x: x.replace("<CodeRef", "<NoteRef", 1), "CodeRef is missing"),
])
def test_xml_that_breaks_the_schema(tmp_path: Path, edit, match):
    data = _replace_qde(edit)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not project_schema().is_valid(z.read("project.qde").decode())
    refused(tmp_path, data, "does not follow the QDA-XML schema: .*" + match)


def test_positions_outside_the_text(tmp_path: Path):
    data = _replace_qde(lambda x: re.sub(r'endPosition="\d+"', 'endPosition="99999"', x, count=1))
    refused(tmp_path, data, r"selection .* in 'Putin Tiba di Pyongyang': positions \d+-99999 "
                            r"are outside its text \(\d+ characters\)")
    data = _replace_qde(lambda x: re.sub(r'startPosition="\d+"', 'startPosition="-1"', x, count=1))
    refused(tmp_path, data, "positions -1-")


def test_a_guid_used_twice(tmp_path: Path):
    a = sample_project().users[0].guid
    data = _replace_qde(lambda x: x.replace(sample_project().users[1].guid, a.upper()))
    refused(tmp_path, data, f"GUID {a} is used twice")


def test_a_codebook_that_is_not_one(tmp_path: Path):
    path = tmp_path / "tags.qdc"
    path.write_bytes(b'<CodeBook xmlns="urn:QDA-XML:codebook:1:0"><Codes/></CodeBook>')
    with pytest.raises(ExchangeError, match="tags.qdc: not a QDA-XML codebook"):
        read_codebook(path)
    path.write_bytes(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    with pytest.raises(ExchangeError, match="schema: CodeBook/Codes: Code is missing"):
        read_codebook(path)
    path.write_bytes(b"x" * 2000)
    with pytest.raises(ExchangeError, match="tags.qdc: refused: the file is 2,000 bytes"):
        read_codebook(path, Limits(entry_bytes=1000))
    with pytest.raises(ExchangeError, match="cannot read"):
        read_codebook(tmp_path / "missing.qdc")


def test_codes_nested_past_any_codebook(tmp_path: Path):
    deep = "".join(f'<Code guid="{G}{i % 10}" name="c" isCodable="true">' for i in range(70))
    qde = (f'<Project {P} name="x"><CodeBook><Codes>{deep}{"</Code>" * 70}</Codes></CodeBook>'
           "</Project>").encode()
    refused(tmp_path, zip_of([("project.qde", qde)]), "nested more than 64 deep")


LEFT_OUT = f"""<Project {P} name="other tool">
<Users><User guid="{G}1" name="A"/></Users>
<CodeBook><Codes><Code guid="{G}2" name="c" isCodable="true"/></Codes></CodeBook>
<Variables><Variable guid="{G}3" name="age" typeOfVariable="Integer"/></Variables>
<Cases><Case guid="{G}4"/><Case guid="{G}5"/><Case guid="{G}6"/></Cases>
<Sources>
 <TextSource guid="{G}7" name="t"><PlainTextContent>Hello
world</PlainTextContent>
  <PlainTextSelection guid="{G}8" startPosition="0" endPosition="5" creatingUser="{G}e">
   <Description>why</Description>
   <Coding guid="{G}9"><CodeRef targetGUID="{G}2"/><NoteRef targetGUID="{G}a"/></Coding>
   <Coding guid="{G}b" creatingUser="{G}f"><CodeRef targetGUID="{G}c"/></Coding>
  </PlainTextSelection>
  <Coding guid="{G}d"><CodeRef targetGUID="{G}2"/></Coding>
 </TextSource>
 <PDFSource guid="10000000-0000-4000-8000-000000000001" path="a.pdf"/>
 <PDFSource guid="10000000-0000-4000-8000-000000000002" path="b.pdf"/>
 <AudioSource guid="10000000-0000-4000-8000-000000000003" path="a.mp3"/>
 <TextSource guid="10000000-0000-4000-8000-000000000004" richTextPath="internal://x.docx"/>
 <TextSource guid="10000000-0000-4000-8000-000000000005" plainTextPath="absolute:///x.txt"/>
</Sources>
<Sets><Set guid="10000000-0000-4000-8000-000000000006" name="s"/></Sets>
<Graphs><Graph guid="10000000-0000-4000-8000-000000000007"/></Graphs>
</Project>"""


def test_what_reader_does_not_keep_is_named_in_one_message():
    project_schema().validate(LEFT_OUT)
    imported = parse_project(LEFT_OUT.encode(), "other.qdpx")
    assert imported.message() == (
        "left out: 2 PDF sources, 1 audio source, 1 rich-text source without a plain-text "
        "version, 1 text source kept outside the project file, 3 cases, 1 variable, 1 set, "
        "1 graph, 1 coding of a whole source, 1 note on a coding, 1 description of a "
        "selection, 1 coding with a tag not in the codebook, 1 reference to an unknown coder")
    p = imported.project
    assert [s.text for s in p.sources] == ["Hello\nworld"]
    (sel,) = p.selections
    assert (sel.quote, [c.code for c in sel.codings]) == ("Hello", [f"{G}2"])


def test_windows_line_ends_in_another_tools_source_move_the_positions():
    text = "One.\r\nTwo \u00e9\r\nThree 🚢\rFour."
    start = text.index("Three")
    qde = f"""<Project {P} name="x">
<CodeBook><Codes><Code guid="{G}2" name="c" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{G}7" plainTextPath="internal://a.txt">
<PlainTextSelection guid="{G}8" startPosition="{start}" endPosition="{len(text)}">
<Coding guid="{G}9"><CodeRef targetGUID="{G}2"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"""
    files = {"Sources/a.txt": b"\xef\xbb\xbf" + text.encode()}
    imported = parse_project(qde.encode(), "x.qdpx", files.get)
    (source,), (sel,) = imported.project.sources, imported.project.selections
    assert source.text == "One.\nTwo \u00e9\nThree 🚢\nFour."
    assert sel.quote == "Three 🚢\nFour." == source.text[sel.start : sel.end]


def test_schema_rules_agree_with_the_schema_on_random_changes():
    """Random changes to a written project.qde, in the parts reader reads: whenever the
    schema refuses one, reading refuses it as breaking the schema; whenever the schema
    accepts one, reading does not blame the schema."""
    xsd = project_schema()
    base = project_xml(sample_project()).decode()
    files = {n: d for n, d in sample_entries()}
    rng = random.Random(15)
    tally = {"invalid, refused": 0, "valid, read": 0, "valid, refused for other reasons": 0,
             "not well-formed, skipped": 0}
    elements = sorted(set(re.findall(r"<(\w+)[ >/]", base)))
    for _ in range(250):
        xml = _mutate(base, rng, elements)
        try:
            ElementTree.fromstring(xml)
        except ElementTree.ParseError:
            tally["not well-formed, skipped"] += 1
            continue
        valid = xsd.is_valid(xml)
        try:
            parse_project(xml.encode(), "m.qdpx", files.get)
        except ExchangeError as e:
            blames_schema = "schema" in str(e) or "not a QDA-XML project" in str(e)
            assert blames_schema == (not valid), (str(e), xml)
            tally["invalid, refused" if not valid else "valid, refused for other reasons"] += 1
        else:
            assert valid, xml
            tally["valid, read"] += 1
    print("mutations:", tally)
    assert tally["invalid, refused"] > 100 and tally["valid, read"] > 20


def _mutate(xml: str, rng: random.Random, elements: list[str]) -> str:
    tags = list(re.finditer(r"<(\w+)((?: \w+=\"[^\"]*\")*)(/?)>", xml))
    m = rng.choice(tags)
    name, attrs = m.group(1), re.findall(r' (\w+)="([^"]*)"', m.group(2))
    kind = rng.randrange(7)
    if kind == 0 and attrs:  # drop an attribute
        a = rng.choice(attrs)
        return xml[: m.start(2)] + m.group(2).replace(f' {a[0]}="{a[1]}"', "", 1) + xml[m.end(2):]
    if kind == 1 and attrs:  # a value of the wrong type
        a = rng.choice(attrs)
        bad = rng.choice(["x", "12a", "#12", "{0000}", "2026-13-01T00:00:00Z", "yes", ""])
        new = m.group(2).replace(f' {a[0]}="{a[1]}"', f' {a[0]}="{bad}"', 1)
        return xml[: m.start(2)] + new + xml[m.end(2):]
    if kind == 2:  # an attribute the schema does not have
        return xml[: m.end(2)] + ' extra="1"' + xml[m.end(2):]
    if kind == 3:  # an element the schema does not have, or one in the wrong place
        other = rng.choice(["Unknown", *elements])
        at = xml.index(">", m.start()) + 1
        if m.group(3):  # <X/>: open it
            return xml[: m.end() - 2] + f"><{other}/></{name}>" + xml[m.end():]
        return xml[:at] + f"<{other}/>" + xml[at:]
    if kind == 4 and not m.group(3):  # text where only elements may be
        at = xml.index(">", m.start()) + 1
        return xml[:at] + "stray" + xml[at:]
    if kind == 5:  # an element twice
        end = xml.find(f"</{name}>", m.end()) if not m.group(3) else m.end() - len(f"</{name}>")
        whole = xml[m.start(): end + len(f"</{name}>")] if not m.group(3) else m.group(0)
        return xml[: m.start()] + whole + xml[m.start():]
    # remove an element
    if m.group(3):
        return xml[: m.start()] + xml[m.end():]
    end = xml.find(f"</{name}>", m.end())
    return xml[: m.start()] + xml[end + len(f"</{name}>"):] if end > 0 else xml
