"""Main text and metadata of a news web page; navigation, scripts and asides are dropped."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser as HTMLParser

_BOILERPLATE = "script, style, noscript, nav, header, footer, aside, form, iframe, svg, figure, figcaption, button, template"
_BLOCKS = "h1, h2, h3, h4, p, li, blockquote, pre"
_DATE_META = (
    'meta[property="article:published_time"]', 'meta[name="article:published_time"]',
    'meta[name="pubdate"]', 'meta[name="publish-date"]', 'meta[name="date"]',
    'meta[itemprop="datePublished"]', 'meta[name="DC.date.issued"]',
)


def _meta(tree: HTMLParser, selectors) -> str | None:
    for sel in selectors:
        node = tree.css_first(sel)
        if node is not None:
            value = (node.attributes.get("content") or node.attributes.get("href") or "").strip()
            if value:
                return value
    return None


def parse_html(html: str) -> dict:
    """Raw article fields from a page; raises ValueError when it holds no article text."""
    tree = HTMLParser(html)
    title = _meta(tree, ('meta[property="og:title"]', 'meta[name="twitter:title"]'))
    if not title and (node := tree.css_first("title")) is not None:
        title = node.text(strip=True) or None
    url = _meta(tree, ('link[rel="canonical"]', 'meta[property="og:url"]'))
    published = _meta(tree, _DATE_META)
    if not published and (node := tree.css_first("time[datetime]")) is not None:
        published = node.attributes.get("datetime")
    language = None
    if (node := tree.css_first("html")) is not None:
        language = (node.attributes.get("lang") or "").split("-")[0].lower() or None
    for node in tree.css(_BOILERPLATE):
        node.decompose()
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        raise ValueError("HTML page has no body")
    blocks = []
    for node in root.css(_BLOCKS):
        # a <p> inside an <li> (or nested blocks) would be read twice: keep the innermost only
        if node.tag in ("li", "blockquote") and node.css_first("p") is not None:
            continue
        text = " ".join(node.text(separator=" ").split())
        if text:
            blocks.append(text)
    if not blocks:
        text = " ".join(root.text(separator=" ").split())
        blocks = [text] if text else []
    if not blocks:
        raise ValueError("HTML page has no article text")
    fields = {"text": "\n\n".join(blocks), "title": title, "url": url, "published_at": published}
    if language:
        fields["language"] = language
    return {k: v for k, v in fields.items() if v}
