"""Links a blog platform wrote in place of the author's: named rules, one per platform and kind.

Notes copied from 知乎, CSDN, 掘金 or 简书 keep the platform's own links:

- a redirect page in front of every outside address ("link.zhihu.com/?target=https%3A//
  arxiv.org/abs/…"): the link becomes the address it leads to, which also works where the
  platform does not;
- words the platform linked to its own search (知乎直答 "zhida.zhihu.com/search?…&q=自注意力机制",
  CSDN "so.csdn.net/so/search?q=Transformer"): the author linked nothing, the word stays
  as text.

``rewrite`` is the one entry point; structure.inline applies it to every Markdown link,
autolink and bare address of a note, and scripts/bench_real.py to the note's lines when it
checks that no address was lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit


@dataclass(frozen=True)
class LinkRule:
    name: str
    host: str
    path: str  # the platform's links start with this path
    target: str = ""  # a redirect's query parameter holding the address; "" = a search link


LINK_RULES: tuple[LinkRule, ...] = (
    LinkRule("zhihu-redirect", "link.zhihu.com", "/", "target"),
    LinkRule("juejin-redirect", "link.juejin.cn", "/", "target"),
    LinkRule("csdn-redirect", "link.csdn.net", "/", "target"),
    LinkRule("jianshu-redirect", "links.jianshu.com", "/go", "to"),
    LinkRule("zhihu-search", "zhida.zhihu.com", "/search", ""),
    LinkRule("csdn-search", "so.csdn.net", "/so/search", ""),
)
_HOSTS = "|".join(re.escape(r.host) for r in LINK_RULES)
# A bare address of one of those hosts in running text.
BARE = re.compile(rf"https?://(?:{_HOSTS})/[^\s<>\"'）)」』】，。；]*", re.I)
# What would end or confuse a Markdown link destination.
_UNSAFE = re.compile(r"[\s()<>]")


def rewrite(href: str) -> tuple[str | None, str]:
    """(address, rule): where a platform's link really goes — the address a redirect leads to,
    None for a search link (only its text means something) — with the rule's name; the link
    itself and "" when no rule applies (or a redirect names no web address)."""
    try:
        parts = urlsplit(href.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return href, ""
    for rule in LINK_RULES:
        if host != rule.host or not parts.path.startswith(rule.path):
            continue
        if not rule.target:
            return None, rule.name
        values = parse_qs(parts.query).get(rule.target)
        target = unquote(values[0]).strip() if values else ""
        if target and parts.fragment and "#" not in target:
            # "?target=https://github.com/…/x.py#L720": the anchor was the target's, unescaped
            target += "#" + parts.fragment
        # 知乎 writes "https%3A//github.com/…": after unquoting, a web address.
        if re.match(r"https?://\S+$", target, re.I):
            return _UNSAFE.sub(lambda c: quote(c.group(0), safe=""), target), rule.name
        return href, ""
    return href, ""
