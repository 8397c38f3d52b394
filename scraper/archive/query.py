"""The search syntax users know (words, "phrases", OR, -word, prefix*) translated to FTS5 safely."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scraper.archive.fts import EXACT_COLUMNS, STEM_COLUMNS, WORD, fold, stem
from scraper.exceptions import QueryError

_TOKEN = re.compile(r'\s*(?:(-?)"([^"]*)("?)|(\()|(\))|([^\s"()]+))')
#: `title:x`, `site:x`: FTS5 column filters, which the quoted translation would
#: silently turn into the phrase "title x" (not `https://…`, a URL).
_FIELD = re.compile(r"-?[^\W\d_]+:(?!//)\S")
#: Parentheses and NOTs a query may nest: enough for any hand-written query,
#: far from Python's recursion limit.
MAX_NESTING = 32
_EXACT = "{" + " ".join(EXACT_COLUMNS) + "}"
_STEMS = "{" + " ".join(STEM_COLUMNS) + "}"


@dataclass
class Terms:
    """What a matching text shows, for highlighting: exact words, stems, prefixes."""

    exact: set[str] = field(default_factory=set)
    stems: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)


@dataclass
class Compiled:
    match: str  # the FTS5 MATCH expression (every term quoted)
    terms: Terms


@dataclass
class _Term:
    kind: str  # word | prefix | phrase
    parts: list[str]


@dataclass
class _Not:
    node: object


@dataclass
class _Op:
    op: str  # AND | OR
    nodes: list[object]


def _tokens(query: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    pos = 0
    query = query.strip()
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if not m or m.end() == pos:
            raise QueryError("The search query could not be read.")
        pos = m.end()
        neg, phrase, closed, lparen, rparen, bare = m.groups()
        if phrase is not None:
            if not closed:
                raise QueryError('The search query has a quote (") that is never closed.')
            parts = WORD.findall(phrase)
            if parts:
                tokens.append(("term", (bool(neg), _Term("phrase", parts))))
        elif lparen:
            tokens.append(("(", None))
        elif rparen:
            tokens.append((")", None))
        elif bare in ("OR", "AND", "NOT"):
            tokens.append((bare, None))
        elif bare == "NEAR" and query.startswith("(", pos):
            raise QueryError(
                "NEAR(…) is not supported: quote the words for a phrase, "
                "or list them to find articles with all of them."
            )
        elif _FIELD.match(bare):
            raise QueryError(
                f"{bare!r} looks like a field filter (name:word), which search does not support: "
                "use --site, --author, --tag or --section, or search the words alone."
            )
        else:
            negated = bare.startswith("-")
            word = bare.lstrip("-")
            prefix = word.endswith("*")
            parts = WORD.findall(word.rstrip("*"))
            if not parts:
                if negated or prefix:
                    raise QueryError(f"{bare!r} has no word in it to exclude or complete.")
                continue  # lone punctuation is not a search term
            tokens.append(("term", (negated, _Term("prefix" if prefix else "word", parts))))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def parse(self) -> object:
        if not self.tokens:
            raise QueryError("The search query has no words to look for.")
        node = self.parse_or()
        if self.peek() == ")":
            raise QueryError("The search query has a ')' without a matching '('.")
        return node

    def parse_or(self) -> object:
        nodes = [self.parse_and()]
        while self.peek() == "OR":
            self.pos += 1
            nodes.append(self.parse_and())
        return nodes[0] if len(nodes) == 1 else _Op("OR", nodes)

    def parse_and(self) -> object:
        nodes: list[object] = []
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.pos += 1
                continue
            nodes.append(self.parse_unary())
        if not nodes:
            raise QueryError("OR needs a word on each side, and ( ) need words inside.")
        if all(isinstance(n, _Not) for n in nodes):
            raise QueryError("A search cannot only exclude words: add a word to look for.")
        return nodes[0] if len(nodes) == 1 else _Op("AND", nodes)

    def parse_unary(self) -> object:
        kind, value = self.tokens[self.pos]
        if kind in ("NOT", "("):
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise QueryError(
                    f"The search query nests parentheses or NOT more than {MAX_NESTING} deep."
                )
            try:
                return self._nested(kind)
            finally:
                self.depth -= 1
        self.pos += 1
        negated, term = value  # type: ignore[misc]
        return _Not(term) if negated else term

    def _nested(self, kind: str) -> object:
        if kind == "NOT":
            self.pos += 1
            if self.peek() in (None, ")", "OR", "NOT", "AND"):
                raise QueryError("NOT needs a word after it.")
            inner = self.parse_unary()
            return inner.node if isinstance(inner, _Not) else _Not(inner)  # NOT -x is x
        self.pos += 1  # "("
        node = self.parse_or()
        if self.peek() != ")":
            raise QueryError("The search query has a '(' that is never closed.")
        self.pos += 1
        return node


def _render(node: object, stemmed: bool, terms: Terms, positive: bool) -> str:
    if isinstance(node, _Term):
        folded = [fold(p) for p in node.parts]
        if node.kind == "phrase" or (node.kind == "word" and not stemmed):
            if positive:
                terms.exact.update(folded)
            return f'{_EXACT} : "{" ".join(folded)}"'
        if node.kind == "prefix":
            if positive:
                terms.exact.update(folded[:-1])
                terms.prefixes.add(folded[-1])
            return f'{_EXACT} : "{" ".join(folded)}" *'
        stems = [stem(p) for p in node.parts]
        if positive:
            terms.stems.update(stems)
        return f'{_STEMS} : "{" ".join(stems)}"'
    if isinstance(node, _Not):
        return _render(node.node, stemmed, terms, not positive)
    assert isinstance(node, _Op)
    if node.op == "OR":
        return " OR ".join(f"({_render(n, stemmed, terms, positive)})" for n in node.nodes)
    pos = [n for n in node.nodes if not isinstance(n, _Not)]
    neg = [n for n in node.nodes if isinstance(n, _Not)]
    expr = " AND ".join(f"({_render(n, stemmed, terms, positive)})" for n in pos)
    for n in neg:
        expr = f"({expr}) NOT ({_render(n, stemmed, terms, positive)})"
    return expr


def compile_query(query: str, *, stemmed: bool = True) -> Compiled:
    """An FTS5 expression for a user query; QueryError (one sentence) if it cannot be read.

    Words match any inflection through their Indonesian stem; "phrases" and
    prefix* match the exact written forms.
    """
    if not query or not query.strip():
        raise QueryError("The search query is empty.")
    tree = _Parser(_tokens(query)).parse()
    terms = Terms()
    return Compiled(_render(tree, stemmed, terms, True), terms)
