"""Loading and saving directories and records: CSV with English or Chinese headers, JSON.

**CSV** (enterprises, inspectors, conflicts of interest). Files are read as UTF-8 with or
without a byte-order mark by default (``encoding="utf-8-sig"``), or in GB18030 on request
(``encoding="gb18030"``). The first line is the header; each column may be named in English
(the field name, e.g. ``uscc``) or in Chinese (e.g. ``统一社会信用代码``); :data:`COLUMNS` holds
the full mapping and ``docs/io.md`` prints it. Loading is all-or-nothing: every problem in the
file is collected — bad identifiers, bad values, missing or unknown columns, duplicates — and
reported together as one :class:`~randcheck.errors.InputFileError` whose ``errors`` each carry
the file, the physical line (the header is line 1) and the column as written in the file.
Nothing is dropped or changed silently; the only rows skipped are those whose every cell is
blank, since they hold no data. The classes and lines the cells may name are a profile's
(``profile=``, default ``cn-tj-hrss``): the loaders and writers of another jurisdiction's
directory take its :class:`~randcheck.profiles.Profile`.

**JSON** documents (``{"schema": 1, "kind": ..., "data": ...}``) are written in canonical form
(:mod:`randcheck.canonical`) and read back strictly, with every problem reported with its JSON
path. **JSON Lines** files hold a header line ``{"kind": ..., "schema": 1}`` and then one
canonical JSON value per line, for collections too large to hold as one document.

One module for each concern; every public name is re-exported here:

* :mod:`randcheck.io.columns` — the header mapping (:class:`Column`, :data:`COLUMNS`) and a
  user's own headers (:class:`ColumnMap`, :func:`load_column_map`);
* :mod:`randcheck.io.cells` — the parsers of cell values and the normalisation they apply;
* :mod:`randcheck.io.csv_read` — reading directories (CSV, or ``.xlsx`` workbooks through
  :mod:`randcheck.io.xlsx_read`), every row error collected;
* :mod:`randcheck.io.csv_write` — writing them;
* :mod:`randcheck.io.files` — files and encodings: decoding with errors that give the line,
  atomic writes;
* :mod:`randcheck.io.json_documents` — JSON documents, parsed strictly;
* :mod:`randcheck.io.jsonl` — JSON Lines, with the one line reader the ledger shares.
"""

from __future__ import annotations

from randcheck.io.columns import (
    COLUMNS,
    Column,
    ColumnMap,
    load_column_map,
    read_column_map,
)
from randcheck.io.csv_read import (
    DirectoryWarning,
    Extra,
    Sheet,
    load_conflicts,
    load_enterprises,
    load_inspectors,
    read_conflicts,
    read_enterprises,
    read_inspectors,
)
from randcheck.io.csv_write import (
    HeaderStyle,
    save_conflicts_csv,
    save_enterprises_csv,
    save_inspectors_csv,
    write_conflicts_csv,
    write_enterprises_csv,
    write_inspectors_csv,
)
from randcheck.io.files import PathLike
from randcheck.io.json_documents import load_json, read_json, save_json
from randcheck.io.jsonl import JsonLine, iter_jsonl, load_jsonl, read_jsonl_lines, write_jsonl

__all__ = [
    "COLUMNS",
    "Column",
    "ColumnMap",
    "DirectoryWarning",
    "Extra",
    "HeaderStyle",
    "JsonLine",
    "PathLike",
    "Sheet",
    "iter_jsonl",
    "load_column_map",
    "load_conflicts",
    "load_enterprises",
    "load_inspectors",
    "load_json",
    "load_jsonl",
    "read_column_map",
    "read_conflicts",
    "read_enterprises",
    "read_inspectors",
    "read_json",
    "read_jsonl_lines",
    "save_conflicts_csv",
    "save_enterprises_csv",
    "save_inspectors_csv",
    "save_json",
    "write_conflicts_csv",
    "write_enterprises_csv",
    "write_inspectors_csv",
    "write_jsonl",
]
