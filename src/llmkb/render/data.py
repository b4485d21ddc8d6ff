"""The catalog and glossary as JSON (docs/assets/data/): what the browser's sortable, filterable
tables read, and what a benchmark or another tool can check without parsing Markdown.

Values are plain (an organization's name, an ISO date, billions of parameters, tokens,
"open"/"closed"); each value keeps the sentence it was read from and where it is published.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath

from ..models import Catalog, DateValue, Evidence, Fact, Row, Span, Term
from ..names import split_name

DATA_DIR = "assets/data/"
CATALOG_JSON = DATA_DIR + "catalog.json"
GLOSSARY_JSON = DATA_DIR + "glossary.json"

# Catalog column → JSON field (the names a reader of the file expects).
FIELDS = {"org": "organization", "date": "released", "params": "params", "license": "license",
          "context": "context", "summary": "summary"}
_LICENSE = {"开源": "open", "闭源": "closed"}


def catalog_json(catalog: Catalog) -> str:
    rows = [_row(row) for row in catalog.rows]
    return _dump({"page": catalog.page, "rows": rows})


def glossary_json(terms: list[Term], page: str) -> str:
    out = []
    for t in terms:
        out.append({"term": t.term, "english": t.english, "abbr": t.abbr, "aliases": list(t.aliases),
                    "anchor": f"{page}#{t.anchor}",
                    "definition": t.definition.sentence.text if t.definition else "",
                    "source": _source(t.definition) if t.definition else None,
                    "explained": f"{t.link.page}#{t.link.anchor}"})
    return _dump({"page": page, "terms": out})


def plain_values(row: Row, column: str) -> list:
    """A cell's plain values (see the module's docstring); a human correction as written."""
    cell = row.cells[column]
    if cell.override:
        return [cell.override]
    values: list = []
    for f in cell.facts:  # one sentence may give several sizes: "7B、13B 和 70B"
        plain = _plain(column, f)
        values.extend(plain if isinstance(plain, list) else [plain])
    return values


def _row(row: Row) -> dict:
    shown = {row.name, *row.aliases}
    out: dict = {"name": row.name, "aliases": list(row.aliases),
                 # sizes and roles the notes write (ChatGLM2-6B, Qwen-7B-Chat): the same row
                 "variants": [v for v in row.surfaces if v not in shown], "anchor": row.anchor,
                 "variant_params": variant_sizes(row)}
    sources: dict[str, list] = {}
    for column, field in FIELDS.items():
        cell = row.cells[column]
        out[field] = plain_values(row, column)
        if cell.override:
            sources[field] = [{"override": cell.reason}]
            continue
        sources[field] = [_source(f.evidence) | ({"hedged": True} if f.hedged else {})
                          | ({"variant": f.named, "values": _plain(column, f)} if f.named else {})
                          for f in cell.facts]
        if cell.inherited_from:
            sources[field] = [s | {"series": cell.inherited_from} for s in sources[field]]
    out["sources"] = sources
    return out


def variant_sizes(row: Row) -> dict[str, list[float]]:
    """Each written form of the row whose name says its size (LLaMA-13B, Llama-3-8B) → that size
    in billions: which variant of a family is how large, also where a sentence listing the
    family's sizes ("7B、13B、33B、65B") gives the cell its values."""
    out: dict[str, list[float]] = {}
    for surface in row.surfaces:
        sizes = [float(s[:-1]) for s in split_name(surface).sizes]
        if sizes:
            out[surface] = sizes
    return out


def _plain(column: str, fact: Fact) -> object:
    value = fact.value
    if column == "date" and isinstance(value, DateValue):
        return value.iso()
    if column == "params" and isinstance(value, tuple):
        return [round(float(v), 4) for v in value]
    if column == "context" and isinstance(value, int | float):
        return int(value)
    if column == "license":
        return _LICENSE.get(str(value), str(value))
    return fact.text


def _source(ev: Evidence) -> dict:
    s = ev.sentence
    return {"text": s.text, "page": s.place.page, "anchor": s.place.anchor,
            "notes": [_span(sp) for sp in s.spans[:5]]}


def _span(span: Span) -> str:
    return f"{PurePosixPath(span.file).name}:{span.start}-{span.end}"


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
