# Typed shim for tinycss2.ast (untyped): the node classes whose fields the CSS purge reads.
# Every node has a ``type`` string ("qualified-rule", "at-rule", "declaration", ...).

class Node:
    source_line: int
    source_column: int
    type: str
    def serialize(self) -> str: ...

class Declaration(Node):
    name: str
    lower_name: str
    value: list[Node]
    important: bool

class QualifiedRule(Node):
    prelude: list[Node]
    content: list[Node]

class AtRule(Node):
    at_keyword: str
    lower_at_keyword: str
    prelude: list[Node]
    content: list[Node] | None
