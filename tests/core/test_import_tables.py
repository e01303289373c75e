"""CSV, TSV and XLSX: column guessing and mapping, separators, time cells, rows, sheets."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from coder.errors import TranscriptFormatError
from coder.importers import guess_columns, parse_bytes, table_columns
from coder.model import ColumnMap, ImportOptions

NO_MERGE = ImportOptions(merge_consecutive=False)


def rows(parsed) -> list[tuple]:
    return [(t.speaker, t.text, t.start_ms, t.end_ms) for t in parsed.turns]


def csv(text: str, options: ImportOptions = ImportOptions(), name: str = "t.csv"):
    return parse_bytes(text.encode("utf-8"), name, options)


def xlsx(*sheets: tuple[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, data in sheets:
        sheet = workbook.create_sheet(title)
        for row in data:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize("headers, expected", [
    (["session_id", "turn", "start", "end", "speaker", "text"],
     ColumnMap(text="text", speaker="speaker", start="start", end="end", turn="turn")),
    (["Speaker_Name", "Utterance", "Begin", "END"],
     ColumnMap(text="Utterance", speaker="Speaker_Name", start="Begin", end="END")),
    (["Transcript", "Who"], ColumnMap(text="Transcript", speaker="Who")),
    (["Start time (s)", "End time (s)", "Speaker (role)", "Utterance ID", "Utterance text"],
     ColumnMap(text="Utterance text", speaker="Speaker (role)", start="Start time (s)",
               end="End time (s)", turn="Utterance ID")),
    (["TEXT", "text"], ColumnMap(text="TEXT")),
])
def test_guess_columns(headers: list[str], expected: ColumnMap) -> None:
    assert guess_columns(headers) == expected


def test_guess_columns_without_text() -> None:
    assert guess_columns(["speaker", "start", "end"]) is None
    assert guess_columns([]) is None


def test_no_text_column_lists_the_columns() -> None:
    with pytest.raises(TranscriptFormatError) as info:
        csv("who,when,what_happened\nT,1,hi\n")
    assert "no text column" in info.value.message
    assert "'who', 'when', 'what_happened'" in info.value.message
    assert (info.value.file, info.value.line) == ("t.csv", 1)


def test_explicit_mapping_is_case_insensitive() -> None:
    options = ImportOptions(columns=ColumnMap(text="WHAT_HAPPENED", speaker="Who", start="when"))
    assert rows(csv("who,when,what_happened\nT,1.5,hi\nC,2,hello\n", options)) == [
        ("T", "hi", 1500, None), ("C", "hello", 2000, None)]


def test_mapped_column_that_does_not_exist() -> None:
    options = ImportOptions(columns=ColumnMap(text="text", speaker="Sprecher"))
    with pytest.raises(TranscriptFormatError) as info:
        csv("speaker,text\nT,hi\n", options)
    assert "no column 'Sprecher'" in info.value.message
    assert "'speaker', 'text'" in info.value.message


def test_semicolon_separator_and_decimal_commas() -> None:
    parsed = csv("Sprecher;Text;Start;Ende\nT;Hallo, wie geht's?;1,5;3,25\nC;Gut;3,5;4\n",
                 ImportOptions(columns=ColumnMap(text="Text", speaker="Sprecher", start="Start",
                                                 end="Ende")))
    assert rows(parsed) == [("T", "Hallo, wie geht's?", 1500, 3250), ("C", "Gut", 3500, 4000)]


def test_explicit_delimiter() -> None:
    parsed = csv("speaker|text\nT|a;b,c\n", ImportOptions(delimiter="|"))
    assert rows(parsed) == [("T", "a;b,c", None, None)]


def test_time_cells_in_every_shape() -> None:
    parsed = csv("speaker,text,start,end\n"
                 "A,one,1,2.5\nB,two,00:01:02.5,1:02:03\nA,three,01:05,01:06.25\nB,four,,\n")
    assert rows(parsed) == [("A", "one", 1000, 2500), ("B", "two", 62500, 3723000),
                            ("A", "three", 65000, 66250), ("B", "four", None, None)]


def test_ms_columns_by_name() -> None:
    assert rows(csv("start_ms,end_ms,text\n1200,3400,hi\n")) == [("", "hi", 1200, 3400)]


def test_whisper_tsv_is_milliseconds_but_other_tables_are_seconds() -> None:
    tsv = "start\tend\ttext\n0\t4200\tHi.\n4900\t9360\tHello.\n"
    assert rows(parse_bytes(tsv.encode(), "w.tsv")) == [("", "Hi.", 0, 4200),
                                                        ("", "Hello.", 4900, 9360)]
    assert rows(csv("start,end,text\n1,2,Hi.\n")) == [("", "Hi.", 1000, 2000)]
    assert rows(parse_bytes(b"start\tend\ttext\n0.5\t1.5\tHi.\n", "w.tsv")) == \
        [("", "Hi.", 500, 1500)]


def test_tsv_with_a_mapping_but_no_times() -> None:
    options = ImportOptions(columns=ColumnMap(text="text"))
    parsed = parse_bytes(b"start\tend\ttext\n1\t2\tHi.\n", "w.tsv", options)
    assert rows(parsed) == [("", "Hi.", None, None)]


def test_empty_text_rows_are_skipped() -> None:
    parsed = csv("speaker,text\nT,hi\nC,\n,\nC,  \nC,yes\n")
    assert [(t.speaker, t.text, t.line) for t in parsed.turns] == [("T", "hi", 2), ("C", "yes", 6)]
    assert parsed.warnings == ("2 row(s) with no text were skipped",)


def test_turn_column_orders_rows_and_rows_merge_only_on_request() -> None:
    text = "turn,speaker,text\n3,C,three\n1,T,one\n2,T,two\n"
    # One utterance per row: one unit per row by default, in the turn column's order.
    assert rows(csv(text)) == [("T", "one", None, None), ("T", "two", None, None),
                               ("C", "three", None, None)]
    assert csv(text).warnings == ()
    assert [t.line for t in csv(text, NO_MERGE).turns] == [3, 4, 2]
    merged = csv(text, ImportOptions(merge_table_rows=True))
    assert rows(merged) == [("T", "one two", None, None), ("C", "three", None, None)]
    assert merged.warnings == ("1 row joined to the same speaker's turn before (3 -> 2 turns); "
                               "as asked (--merge-rows)",)
    odd = csv("turn,speaker,text\nb,C,three\n1,T,one\n")
    assert [t.text for t in odd.turns] == ["three", "one"]
    assert "file order" in odd.warnings[0]


def test_quoted_cells_with_newlines_and_separators() -> None:
    parsed = csv('speaker,text\nT,"Hello,\n  how are you?"\nC,"She said ""no""."\n')
    assert rows(parsed) == [("T", "Hello, how are you?", None, None),
                            ("C", 'She said "no".', None, None)]


def test_broken_time_cell_names_row_and_column() -> None:
    with pytest.raises(TranscriptFormatError, match="cannot read the time") as info:
        csv("speaker,text,start\nT,hi,1\nC,ho,soon\n")
    assert (info.value.line, info.value.column) == (3, 3)


def test_table_columns() -> None:
    assert table_columns(b"\n\nSpeaker;Text;Start\nT;hi;1\n", "x.csv") == ["Speaker", "Text",
                                                                          "Start"]
    data = xlsx(("First", [["a", "b"]]), ("Second", [[None], ["who", "utterance"]]))
    assert table_columns(data, "x.xlsx") == ["a", "b"]
    assert table_columns(data, "x.xlsx", ImportOptions(sheet="Second")) == ["who", "utterance"]
    with pytest.raises(TranscriptFormatError, match="only CSV, TSV and Excel"):
        table_columns(b"WEBVTT\n", "x.vtt")


def test_xlsx_cells_sheets_and_rows() -> None:
    data = xlsx(("Notes", [["nothing here"]]),
                ("Transcript", [["Speaker", "Utterance", "Begin", "End"],
                                ["T", "Hello [NAME].", dt.time(0, 0, 1, 500000), 2.25],
                                [None, None, None, None],
                                ["C", "Hi.", dt.timedelta(seconds=3), "00:00:04.5"],
                                ["C", 42, 5, 6]]))
    parsed = parse_bytes(data, "x.xlsx", ImportOptions(sheet="Transcript"))
    assert parsed.format == "xlsx" and parsed.encoding is None
    assert [(t.speaker, t.text, t.start_ms, t.end_ms, t.line) for t in parsed.turns] == [
        ("T", "Hello [NAME].", 1500, 2250, 2), ("C", "Hi.", 3000, 4500, 4),
        ("C", "42", 5000, 6000, 5)]
    with pytest.raises(TranscriptFormatError, match="no text column") as info:
        parse_bytes(data, "x.xlsx")                 # the first sheet has no transcript
    assert "'nothing here'" in info.value.message
    with pytest.raises(TranscriptFormatError, match="no sheet 'Nope'.*'Notes', 'Transcript'"):
        parse_bytes(data, "x.xlsx", ImportOptions(sheet="Nope"))


def test_xlsx_date_where_a_time_belongs() -> None:
    data = xlsx(("S", [["text", "start"], ["hi", dt.datetime(2025, 3, 1, 10, 30)]]))
    with pytest.raises(TranscriptFormatError, match="date, not a time") as info:
        parse_bytes(data, "x.xlsx")
    assert (info.value.line, info.value.column) == (2, 2)


@pytest.mark.parametrize("data", [b"", b"\n\n", b"a,b\n"])
def test_empty_tables(data: bytes) -> None:
    with pytest.raises(TranscriptFormatError):
        parse_bytes(data, "t.csv")
