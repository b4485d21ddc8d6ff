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
from .kb import (
    Deduplicated,
    DedupStats,
    Entry,
    KnowledgeBase,
    Layout,
    MergeRecord,
    NodeContent,
    Page,
    PageItem,
    Placement,
    SentenceMerge,
    Unit,
)
from .notes import (
    ASSET_SCHEME,
    CODE_RULES,
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
from .taxonomy import CATALOG_TOPIC, OTHER_TOPIC, REQUIRED_TOPICS, Node, Taxonomy

__all__ = [
    "ASSET_SCHEME", "CATALOG_COLUMNS", "CATALOG_TOPIC", "CODE_RULES", "OTHER_TOPIC", "REQUIRED_TOPICS", "Attribution",
    "Block", "BlockKind", "Catalog", "Cell", "DateValue", "DedupStats", "Deduplicated", "Entry", "Event", "Evidence",
    "Extraction", "Fact", "Heading", "KnowledgeBase", "Layout", "MentionIndex", "MergeRecord", "Node",
    "NodeContent", "NoteDoc", "NoteText", "Page", "PageItem", "Place", "Placement", "Removal", "Row", "Section",
    "Sentence", "SentenceMerge", "Span", "Taxonomy", "Term", "Unit",
]
