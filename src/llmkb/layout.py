"""Layout: which node and which entry goes on which page, under which heading.

Pages follow the topic tree. A top-level node with anything to show is a page; a deeper
node is a page of its own when it holds at least ``MIN_PAGE_CHARS`` of text, otherwise it is
a section of its parent's page. A node with pages below it is a folder with an index page
(``architecture/index.md``), a node without is one page (``architecture/attention.md``);
paths come from the taxonomy ids, so they stay as the notes grow until a node gains or
loses pages of its own.

No page holds more than ``MAX_PAGE_CHARS`` of text: while one does, its largest part — a
small child node's section, or one subject (entry) — moves to a page of its own below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .models import CATALOG_TOPIC, OTHER_TOPIC, Entry, Layout, Node, NodeContent, Page, PageItem
from .text import slugify, visible

MIN_PAGE_CHARS = 2_500
MAX_PAGE_CHARS = 45_000  # text a page may hold; markup, citations and the catalog come on top
MAX_LEVEL = 4  # deeper subjects render as H4
_SPACE = re.compile(r"\s+")

# (level relative to its group, node id, entry, heading title)
Item = tuple[int, str, Entry, str]


def own_chars(entry: Entry) -> int:
    """Characters of text an entry's own blocks show (spaces not counted; a block with none,
    like an empty code block, still counts one, so that it is on a page)."""
    return sum(max(1, len(_SPACE.sub("", visible(b.text)))) for b in entry.blocks)


def entry_chars(entry: Entry) -> int:
    """Characters of text of an entry and its sub-entries."""
    return own_chars(entry) + sum(entry_chars(c) for c in entry.children)


@dataclass
class _Group:
    """Items that can move to a page of their own: a small child node's section or one entry."""

    items: list[Item]
    is_node: bool

    @property
    def chars(self) -> int:
        return sum(own_chars(e) for _, _, e, _ in self.items)


@dataclass
class _Plan:
    node: str  # the node the page belongs to
    name: str  # its file or folder name
    title: str
    description: str
    head: Entry  # the text under the page's H1
    groups: list[_Group] = field(default_factory=list)
    below: list[_Plan] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return own_chars(self.head) + sum(g.chars for g in self.groups)


class _Planner:
    def __init__(self, contents: list[NodeContent]) -> None:
        self.contents = {c.node.id: c for c in contents}
        self._size: dict[str, int] = {}

    def size(self, node: Node) -> int:
        """Text under a node and everything below it."""
        if node.id not in self._size:
            content = self.contents.get(node.id)
            own = sum(entry_chars(e) for e in content.all_entries() if e is content.intro or e in content.entries) \
                if content else 0
            self._size[node.id] = own + sum(self.size(c) for c in node.children)
        return self._size[node.id]

    def node_plan(self, node: Node) -> _Plan:
        content = self.contents[node.id]
        plan = _Plan(node.id, node.id, node.title, node.description, content.intro)
        for child in node.children:
            if not self.size(child):
                continue
            if self.size(child) >= MIN_PAGE_CHARS:
                plan.below.append(self.node_plan(child))
            else:
                plan.groups.append(_Group(self.section_items(child), True))
        plan.groups += [_Group(_entry_items(node.id, e), False) for e in content.entries if entry_chars(e)]
        return plan

    def section_items(self, node: Node, level: int = 0) -> list[Item]:
        """A small node as a section of its parent's page: heading, text, small children, subjects."""
        content = self.contents[node.id]
        items: list[Item] = [(level, node.id, content.intro, node.title)]
        for child in node.children:
            if self.size(child):
                items += self.section_items(child, level + 1)
        for entry in content.entries:
            if entry_chars(entry):
                items += _entry_items(node.id, entry, level + 1)
        return items


def _entry_items(node: str, entry: Entry, level: int = 0) -> list[Item]:
    items: list[Item] = [(level, node, entry, entry.title)]
    for child in entry.children:
        if entry_chars(child):
            items += _entry_items(node, child, level + 1)
    return items


def layout(contents: list[NodeContent]) -> Layout:
    planner = _Planner(contents)
    plans = [planner.node_plan(c.node) for c in contents
             if c.node.depth == 0 and (planner.size(c.node) or c.node.id == CATALOG_TOPIC)]
    for plan in plans:
        _fit(plan)
    pages: list[Page] = []
    for plan in plans:
        _emit(plan, "", None, pages)
    catch_all = next((p.path for p in pages if p.node == OTHER_TOPIC and p.parent is None), "")
    return Layout(pages, catch_all)


def _fit(plan: _Plan) -> None:
    """Move the largest parts of an oversized page to pages of their own below it."""
    while plan.chars > MAX_PAGE_CHARS and plan.groups:
        group = max(plan.groups, key=lambda g: g.chars)
        plan.groups.remove(group)
        _, node, head, title = group.items[0]
        if group.is_node:
            # A small child node that makes the page too long: a node page of its own.
            child = _Plan(node, node, title, "", head, _regroup(group.items[1:]))
        else:
            child = _Plan(node, slugify(title)[:40].strip("-") or "section", title,
                          f"{plan.title} › {title}", head, _regroup(group.items[1:]))
        plan.below.append(child)
    for child in plan.below:
        _fit(child)


def _regroup(items: list[Item]) -> list[_Group]:
    """Items one level down (their group's first item moved away) as groups of their own."""
    groups: list[_Group] = []
    for level, node, entry, title in items:
        if level == 1 or not groups:
            groups.append(_Group([], is_node=entry.key == ""))
        groups[-1].items.append((level - 1, node, entry, title))
    return groups


def _emit(plan: _Plan, folder: str, parent: str | None, pages: list[Page]) -> str:
    base = f"{folder}{plan.name}/" if plan.below else folder
    path = f"{base}index.md" if plan.below else f"{folder}{plan.name}.md"
    used: set[str] = set()
    items = [PageItem(plan.node, plan.head, 1, plan.title,
                      _unique(plan.node if plan.head.key == "" else plan.head.anchor or plan.name, used))]
    for group in plan.groups:
        for level, node, entry, title in group.items:
            wanted = node if entry.key == "" else entry.anchor or slugify(title)
            items.append(PageItem(node, entry, min(level + 2, MAX_LEVEL), title, _unique(wanted, used)))
    page = Page(path, plan.node, plan.title, plan.description, items, [], parent)
    pages.append(page)
    for child in plan.below:
        page.children.append(_emit(child, base, path, pages))
    return path


def _unique(anchor: str, used: set[str]) -> str:
    base, n = anchor, 2
    while anchor in used:
        anchor, n = f"{base}-{n}", n + 1
    used.add(anchor)
    return anchor
