"""The topic tree as data (loaded by ``llmkb.taxonomy``): nodes of any depth."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

# The node whose page holds the model catalog.
CATALOG_TOPIC = "models"
# The node of the field's history.
HISTORY_TOPIC = "history"
# Where a section that fits no node goes.
OTHER_TOPIC = "other"
# The nodes every taxonomy keeps at its top level.
DEFINITION_TOPIC = "definition"
REQUIRED_TOPICS = (DEFINITION_TOPIC, HISTORY_TOPIC, "abilities", "characteristics", CATALOG_TOPIC)


@dataclass(frozen=True)
class Node:
    id: str
    title: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    # Broad heading words that point here only when no specific alias names a subject.
    weak_aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    children: tuple[Node, ...] = ()
    parent: str | None = None
    depth: int = 0  # 0 for a top-level node
    # Whether a note titled after this node is about it: "LLM 概念" names 定义, but a note so
    # titled is about LLMs in general, so its sections are placed each on its own evidence.
    subject: bool = True

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def short_title(self) -> str:
        """The title without its bracketed English name: 上下文学习（In-Context Learning，ICL） → 上下文学习."""
        return re.sub(r"（.*?）", "", self.title).strip() or self.title


@dataclass(frozen=True)
class Taxonomy:
    roots: tuple[Node, ...]
    # Heading words that only say what kind of text follows (介绍, 总结, 面试题): no topic.
    generic_words: tuple[str, ...] = ()
    # Headings about the notes themselves (前言, 阅读建议, 课程安排): such sections go to 其他.
    meta_words: tuple[str, ...] = ()
    # Headings naming a facet any subject has (模型架构, 数据格式, 损失函数): under a heading or
    # note about one subject, such a heading is that subject's facet, not the node it names.
    facet_words: tuple[str, ...] = ()
    _by_id: dict[str, Node] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({n.id: n for root in self.roots for n in root.walk()})

    def nodes(self) -> Iterator[Node]:
        """Every node, in site order (pre-order)."""
        for root in self.roots:
            yield from root.walk()

    def node(self, node_id: str) -> Node:
        return self._by_id[node_id]

    def get(self, node_id: str) -> Node | None:
        return self._by_id.get(node_id)

    def path(self, node_id: str) -> tuple[str, ...]:
        """Ids from the top-level node down to this one."""
        out: list[str] = []
        node: Node | None = self._by_id[node_id]
        while node is not None:
            out.append(node.id)
            node = self._by_id.get(node.parent) if node.parent else None
        return tuple(reversed(out))

    def top(self, node_id: str) -> str:
        return self.path(node_id)[0]

    def is_within(self, node_id: str, ancestor: str) -> bool:
        """The node is the ancestor or below it."""
        return ancestor in self.path(node_id)

    @property
    def has_catalog(self) -> bool:
        return CATALOG_TOPIC in self._by_id

    def vocabulary(self) -> list[str]:
        """Every title, alias and keyword: domain words for jieba."""
        words: set[str] = set()
        for n in self.nodes():
            words.update([n.short_title, *n.aliases, *n.weak_aliases, *n.keywords])
        return sorted(w for w in words if w.strip())
