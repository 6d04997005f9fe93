"""Citation texts that arrive after the pages' Markdown: pandoc renders while MkDocs does.

A cold build used to wait in ``on_files`` until pandoc had rendered every citation
(about 6 s at 1,000 pages, the main thread idle). Instead, each citation block and
each reference still to render gets a token (``(iptcitation…q)``, ``iptreference…q``,
letters only, so no Markdown rule, no smarty rule and no citation-marker rule
matches it); mkdocs-bibtex writes the tokens into the pages, Python-Markdown renders
them, and pandoc renders the real texts meanwhile, into a copy of the registry. In
``on_env``, after every page's Markdown and before any template, each token is
replaced by its text's HTML and the page's ``on_page_content`` steps run then
(hooks/citations.py and hooks/reader_page.py skip a page still holding tokens).

That gives the same bytes as rendering the page with its texts when a text cannot
interact with what is around it:

- an author-date text is one paragraph's run of letters, digits, spaces and
  ``.,;:&'’-–`` inside its own round brackets (``(Stuart & Robertson, 2012)``):
  the token has the same first and last character, so every rule looking at a
  neighbour sees what it saw, and the text renders alone exactly as in place;
  and the token stands right before its rendered footnote marker (in a raw HTML
  block the Markdown, text and marker, stays as written);
- a reference text is rendered as hooks/reference_lists.py renders it (as the
  footnotes extension does, ``reference_texts``), where that is exact.

A page with any other text (emphasis, a bracketed span, a link), a token where
text is not expected (in a tag, the title or the table of contents), or a text
pandoc did not give, is rendered again from its Markdown with the real texts
(``repopulate``): exact whatever it holds. Only builds of ``late_texts_from`` pages
or more use this (on a small site, putting the texts in costs more than the wait);
``mkdocs serve`` keeps waiting in ``on_files`` (its preview reloads one page at a time).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mkdocs.structure.toc import AnchorLink

from ipt_site.citation_rendering.reference_texts import ReferenceTexts

INLINE_PREFIX = "iptcitationqvxk"
REFERENCE_PREFIX = "iptreferenceqvxk"
_NBSP_HTML = "&#160;"  # after a reference text, as the footnotes extension writes it
_TOKEN = re.compile(r"\(" + INLINE_PREFIX + r"[a-z]+q\)|" + REFERENCE_PREFIX + r"[a-z]+q" + re.escape(_NBSP_HTML))
_ANY_TOKEN = re.compile(INLINE_PREFIX + "|" + REFERENCE_PREFIX)
_MARKER = '<sup id="fnref'  # the footnote marker mkdocs-bibtex's [^key] becomes, right after the text
# What an author-date text may hold to render alone as it does in place (see above).
_SAFE_INLINE = re.compile(r"\((?:[^\W_]|[ .,;:&'’\-–])+\)")

F = TypeVar("F", bound=Callable[..., Any])


def late_aware(handler: F) -> F:
    """Marks an ``on_page_content`` handler that leaves a page holding tokens as it is, or is
    unchanged by them: hooks/citations.py runs every such handler again for that page in
    ``on_env``, so a build uses late texts only when every handler is marked."""
    handler.ipt_late_aware = True  # type: ignore[attr-defined]
    return handler


def all_late_aware(handlers: Iterable[Callable[..., Any]]) -> bool:
    return all(getattr(handler, "ipt_late_aware", False) for handler in handlers)


class Cancelled(Exception):
    """The build failed before the texts were needed: no further pandoc call is started."""


def _letters(number: int) -> str:
    """``number`` in letters (a, b, …, z, ba, …): tokens hold no digit a year rule could read."""
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text = chr(ord("a") + digit) + text
        if number == 0:
            return text


def inline_token(number: int) -> str:
    return f"({INLINE_PREFIX}{_letters(number)}q)"


def reference_token(number: int) -> str:
    return f"{REFERENCE_PREFIX}{_letters(number)}q"


@dataclass
class LateTexts:
    """The tokens handed out, and pandoc's rendering of the real texts, under way."""

    blocks: dict[str, str] = field(default_factory=dict)  # inline token -> citation block text
    keys: dict[str, str] = field(default_factory=dict)  # reference token -> key
    rendering: Future[Any] | None = None  # the registry copy pandoc fills
    cancelled: threading.Event = field(default_factory=threading.Event)

    def hand_out(self, registry: Any, blocks: Iterable[str], keys: Iterable[str]) -> None:
        """Give ``registry`` (mkdocs-bibtex's) a token for each block and key pandoc has yet to render."""
        for block in blocks:
            token = inline_token(len(self.blocks))
            self.blocks[token] = block
            registry._inline_cache[block] = token
        for key in dict.fromkeys(keys):
            token = reference_token(len(self.keys))
            self.keys[token + _NBSP_HTML] = key
            registry._reference_cache[key] = token

    def check_cancelled(self) -> None:
        if self.cancelled.is_set():
            raise Cancelled("the build stopped before the citations were needed")


def give_reference_tokens(late: LateTexts, texts: ReferenceTexts) -> None:
    """Each reference token's HTML into ``texts`` (the pages' reference-list texts) without a
    Markdown pass each (about 0.5 s at 1,000 pages): a token is letters only, so it renders
    as itself, as one token rendered with the site's extensions shows."""
    tokens = [token[:-len(_NBSP_HTML)] for token in late.keys]
    if not tokens:
        return
    texts.render(tokens[:1])
    if texts.rendered.get(tokens[0]) != tokens[0] + _NBSP_HTML:
        return  # an extension changed it: each token is rendered as any text is
    for token in tokens[1:]:
        texts.rendered.setdefault(token, token + _NBSP_HTML)


def holds_tokens(html: str) -> bool:
    return _ANY_TOKEN.search(html) is not None


def take_texts(registry: Any, rendered: Any, late: LateTexts) -> None:
    """The real texts (from ``rendered``, the registry copy pandoc filled) into ``registry``;
    a token pandoc gave no text for is taken out, so mkdocs-bibtex does what it does without one."""
    for block in late.blocks.values():
        if block in rendered._inline_cache:
            registry._inline_cache[block] = rendered._inline_cache[block]
        else:
            registry._inline_cache.pop(block, None)
    for key in late.keys.values():
        if key in rendered._reference_cache:
            registry._reference_cache[key] = rendered._reference_cache[key]
        else:
            registry._reference_cache.pop(key, None)


@dataclass
class Substitutions:
    """Each token's HTML, or None where the page must be rendered again with its texts.

    The texts are rendered all at once (``ReferenceTexts``), in one Markdown call for the
    author-date texts (each a plain paragraph: no rule crosses from one paragraph to the
    next) and one for the reference texts: one call per text cost about 1 s at 1,000 pages.
    """

    inline: ReferenceTexts  # made with end="</p>"
    references: ReferenceTexts
    registry: Any
    late: LateTexts
    html: dict[str, str | None] = field(init=False)

    def __post_init__(self) -> None:
        inline = {token: self.registry._inline_cache.get(block) for token, block in self.late.blocks.items()}
        safe = [text for text in dict.fromkeys(inline.values())
                if isinstance(text, str) and _SAFE_INLINE.fullmatch(text)]
        self.inline.render(safe)
        self.html = {token: _plain(self.inline.rendered.get(text)) if isinstance(text, str) else None
                     for token, text in inline.items()}
        references = {token: self.registry._reference_cache.get(key) for token, key in self.late.keys.items()}
        self.references.render(text for text in references.values() if isinstance(text, str))
        self.html.update({token: self.references.rendered.get(text) if isinstance(text, str) else None
                          for token, text in references.items()})

    def html_of(self, token: str) -> str | None:
        return self.html.get(token)


def _plain(html: str | None) -> str | None:
    """An author-date text's HTML if it is only text and entities (no element to nest differently)."""
    return html if html is not None and "<" not in html else None


def substitute(html: str, html_of: Callable[[str], str | None]) -> str | None:
    """``html`` with every token replaced by its text's HTML; None if any token has none, or
    stands inside a tag (an attribute), or a token's name is left over after the replacing.

    An author-date token must be followed by the footnote marker Python-Markdown rendered
    for it: in a raw HTML block the Markdown stays as written (``[^key]`` and all), and the
    text must stay unrendered too.
    """
    pieces: list[str] = []
    last = 0
    for match in _TOKEN.finditer(html):
        start = match.start()
        if html.rfind("<", 0, start) > html.rfind(">", 0, start):
            return None
        if match.group().startswith("(") and not html.startswith(_MARKER, match.end()):
            return None
        replacement = html_of(match.group())
        if replacement is None:
            return None
        pieces += [html[last:start], replacement]
        last = match.end()
    pieces.append(html[last:])
    result = "".join(pieces)
    return None if holds_tokens(result) else result


def finish_pages(
    pages: Iterable[Any],  # mkdocs.structure.pages.Page
    html_of: Callable[[str], str | None],
    run_content_steps: Callable[[Any, str], str],
    repopulate: Callable[[Any], None],
) -> int:
    """Put the texts into every page still holding tokens; the number rendered again."""
    again = 0
    for page in pages:
        if page.content is None or not holds_tokens(page.content):
            continue
        html = None if _in_title_or_toc(page) else substitute(page.content, html_of)
        if html is None:
            repopulate(page)
            again += 1
        else:
            page.content = run_content_steps(page, html)
    return again


def toc_items(items: Iterable[AnchorLink]) -> Iterator[AnchorLink]:
    """Every entry of a page's table of contents, at every depth."""
    for item in items:
        yield item
        yield from toc_items(item.children)


def _in_title_or_toc(page: Any) -> bool:
    titles = [str(page.title or ""), *(str(item.title) for item in toc_items(page.toc))]
    return any(holds_tokens(title) for title in titles)


def waiting(late: LateTexts | None, html: str) -> bool:
    """Whether a page's HTML still waits for its texts (its content steps run in ``on_env``)."""
    return late is not None and holds_tokens(html)
