"""The topic taxonomy as data: topics and their subtopics (loaded by ``llmkb.taxonomy``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The topic whose page holds the model catalog.
CATALOG_TOPIC = "models"
# Where a section that fits no topic goes.
OTHER_TOPIC = "other"


@dataclass(frozen=True)
class Subtopic:
    id: str
    title: str
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]
    # Broad heading words that point here only when no specific alias names a subject.
    weak_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    slug: str
    description: str
    aliases: tuple[str, ...]
    keywords: tuple[str, ...]
    subtopics: tuple[Subtopic, ...] = field(default_factory=tuple)

    @property
    def page(self) -> str:
        return f"{self.slug}.md"

    def subtopic(self, sub_id: str) -> Subtopic | None:
        return next((s for s in self.subtopics if s.id == sub_id), None)


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    @property
    def has_catalog(self) -> bool:
        return any(t.id == CATALOG_TOPIC for t in self.topics)

    def vocabulary(self) -> list[str]:
        """Every alias, keyword and subtopic title: domain words for jieba."""
        words: set[str] = set()
        for t in self.topics:
            words.update([t.title, *t.aliases, *t.keywords])
            for s in t.subtopics:
                words.update([re.sub(r"（.*?）", "", s.title), *s.aliases, *s.weak_aliases, *s.keywords])
        return sorted(w for w in words if w.strip())
