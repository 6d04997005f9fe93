"""Built pages as tests read them: every attribute quoted, as in the templates.

hooks/minify_site.py writes the site minified (``class=md-search``, not
``class="md-search"``). Tests that look for markup read pages through
``read_built``, which writes each start tag back with double-quoted attributes;
text, comments, scripts and end tags are left as they are.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path


class _Requote(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> str:
        # Only the double quote is escaped, as the templates write values.
        parts = [tag] + [name if value is None else f'{name}="{value.replace(chr(34), "&quot;")}"'
                         for name, value in attrs]
        return "<" + " ".join(parts) + close

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, ">"))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self._tag(tag, attrs, "/>"))

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def requote(markup: str) -> str:
    parser = _Requote()
    parser.feed(markup)
    parser.close()
    return "".join(parser.out)


def read_built(path: Path) -> str:
    """A built HTML file, attributes double-quoted."""
    return requote(Path(path).read_text(encoding="utf-8"))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def start_tags(markup: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag, as (name, attributes), attribute values unescaped."""
    parser = _Tags()
    parser.feed(markup)
    return parser.found


def tags(markup: str, tag: str, **wanted: str) -> list[dict[str, str]]:
    """Attributes of every ``tag`` start tag having the ``wanted`` attribute values (any order)."""
    return [attrs for name, attrs in start_tags(markup)
            if name == tag and all(attrs.get(k) == v for k, v in wanted.items())]
