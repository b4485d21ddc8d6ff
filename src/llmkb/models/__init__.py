"""Plain data passed from stage to stage: every type that crosses a stage boundary.

- ``notes``      ingest → structure → normalize: a note's text, section tree and blocks
- ``taxonomy``   the topic taxonomy (loaded by ``llmkb.taxonomy``)
- ``kb``         classify → align → dedup, and the whole knowledge base
- ``extracted``  extract: catalog, glossary, timeline
"""

from .extracted import (
    CATALOG_COLUMNS,
    Catalog,
    Cell,
    DateValue,
    Event,
    Evidence,
    Extraction,
    Fact,
    MentionIndex,
    Place,
    Row,
    Sentence,
    Term,
)
from .kb import Deduplicated, DedupStats, Entry, KnowledgeBase, MergeRecord, Placement, TopicPage, Unit
from .notes import (
    ASSET_SCHEME,
    Attribution,
    Block,
    BlockKind,
    Heading,
    NoteDoc,
    NoteText,
    Removal,
    Section,
    Span,
)
from .taxonomy import CATALOG_TOPIC, OTHER_TOPIC, Subtopic, Taxonomy, Topic

__all__ = [
    "ASSET_SCHEME", "CATALOG_COLUMNS", "CATALOG_TOPIC", "OTHER_TOPIC", "Attribution", "Block", "BlockKind",
    "Catalog", "Cell", "DateValue", "DedupStats", "Deduplicated", "Entry", "Event", "Evidence", "Extraction",
    "Fact", "Heading", "KnowledgeBase", "MentionIndex", "MergeRecord", "NoteDoc", "NoteText", "Place",
    "Placement", "Removal", "Row", "Section", "Sentence", "Span", "Subtopic", "Taxonomy", "Term", "Topic",
    "TopicPage", "Unit",
]
