"""Query planning: a parsed query (``syntax``) -> engine-neutral plan nodes (``engine.base``).

Ordinary words are matched stemmed in the ranked fields (text, heading, lead),
symbols, numbers and quoted phrases exactly, as phrases of their pieces;
acronyms and their long forms stand for each other (``lexicon``); words close
together and themes the query names rank higher. The planner also says which
terms an excerpt marks. It knows no engine: only the nodes of engine/base.py.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from indexer.engine.base import AllOf, AnyOf, ConstantScore, Lift, Node, Phrase, Prefer, ShortScale, Term, Without
from indexer.models import PROVISION
from indexer.search import syntax
from indexer.search.excerpts import MatchTerms
from indexer.search.lexicon import Lexicon
from indexer.text.analysis import STOP_WORDS, exact_terms, stemmed_terms
from indexer.text.questions import answer_kind, asking_words

# The fields a stemmed word is looked for in (their weights: engine/base.py).
RANKED_FIELDS = ("text", "heading", "lead")
# The fields a name of several words is looked for in as a phrase: the lead is
# the text's opening, so a phrase in it is one in the text already.
NAME_FIELDS = ("text", "heading")
# How far apart query words may stand to count as "near", and what that adds.
PROXIMITY_SLOP = 4
PROXIMITY_BOOST = 1.5
# Added to the score of a paragraph tagged with a theme the query names.
THEME_BOOST = 6.0
# A unit whose text has fewer terms than this (a heading line, a list stub: "The
# development of regional centres;") scores in proportion to its length, so the
# provision it belongs to ranks above it. Measured on the graded query set
# (bench/ranking_eval.py): 20 to 30 terms do best.
SHORT_UNIT_TERMS = 20
# A query no unit matches whole is answered by its words' best match, without
# the words found in more than this share of the units (question words, "Parties"),
# but with this many words at least, the rarest.
COMMON_WORD_SHARE = 0.1
BEST_MATCH_MIN_WORDS = 2
# Added, in a best match, to the score of a unit of an instrument the query names,
# and of a unit of a document or decision it names (by symbol or number).
INSTRUMENT_SCOPE_BOOST = 8.0
SOURCE_SCOPE_BOOST = 8.0
# Added, in a best match of a question asking for a kind of answer ("How often
# ...?"), to the score of a unit that holds one of that kind ("every two years").
ANSWER_KIND_BOOST = 8.0
# The score of a provision (a unit of an article, a rule, a regulation: see
# indexer.models.is_provision) is multiplied by this, so the provision comes
# before the notes and reports that speak of it as much.
PROVISION_LIFT = 1.5
# A unit whose own heading (its article's title, its section's) holds the query's
# words in order scores their score in the title times this more: under "Article
# 25 Entry into force" every paragraph is about entry into force, though it says
# "shall enter into force". Graded set nDCG@10 (bench.ranking_eval --set) at
# 0 / 2 / 3 / 4: 0.535 / 0.547 / 0.551 / 0.552; at 4 the Paris Agreement's
# untitled art. 8 falls from the first page of "loss and damage".
TITLE_BOOST = 3.0


def ranked(node: Node) -> Node:
    """A plan's matches as every ranked plan scores them: fragments by their length,
    provisions lifted (the last step of ``plan``)."""
    return Lift(ShortScale(node, SHORT_UNIT_TERMS), Term("traits", PROVISION), PROVISION_LIFT)


# What every ranked plan evaluates whatever its words (the provision marker, the
# text lengths of the short scale): read when a generation opens, so the first
# query after a restart does not pay for them.
EVERY_PLAN_READS = ranked(Term("traits", PROVISION))


@dataclass(frozen=True)
class _Negated:
    """A part the query excludes (``-word``), while its conjunction is planned."""

    node: Node


def plain_words(tree) -> list[str]:
    if isinstance(tree, syntax.Word):
        return [tree.text] if tree.text.isalpha() else []
    if isinstance(tree, (syntax.And, syntax.Or)):
        return [w for child in tree.children for w in plain_words(child)]
    return []


def _positive_words(tree) -> list[str]:
    """The words and phrases a query looks for (not the excluded ones)."""
    if isinstance(tree, (syntax.Word, syntax.Phrase)):
        return [tree.text]
    if isinstance(tree, (syntax.And, syntax.Or)):
        return [w for child in tree.children for w in _positive_words(child)]
    return []


def _is_symbolic(word: str) -> bool:
    # Symbols, numbers and one-letter tokens are matched exactly, as phrases
    # of their pieces: "INC.1/9" -> inc 1 9, "14(a)" -> 14 a.
    return not word.isalpha() or len(word) == 1


def plan(tree, lexicon: Lexicon) -> tuple[Node | None, MatchTerms]:
    """The query plan of a parsed tree (None: nothing to look for), and the terms to mark in excerpts."""
    stems: set[str] = set()
    exact: set[str] = set()
    sequences: set[tuple[str, ...]] = set()

    def exact_query(text):
        terms = exact_terms(text)
        if not terms:
            return None
        if len(terms) == 1:
            exact.add(terms[0])
            return Term("exact", terms[0])
        sequences.add(tuple(terms))
        return Phrase("exact", tuple(terms))

    def stemmed_query(text):
        terms = stemmed_terms(text)
        if not terms:
            return None
        stems.update(terms)
        if len(terms) == 1:
            return AnyOf(tuple(Term(f, terms[0]) for f in RANKED_FIELDS))
        return Phrase("text", tuple(terms))

    def expansions(text):
        # The other forms of an acronym or of a long name: "ODS" <-> "ozone-depleting substances".
        alternatives = []
        for other in lexicon.alternatives(text):
            if " " in other.strip() or "-" in other:
                terms = stemmed_terms(other)
                if len(terms) > 1:
                    stems.update(terms)
                    # A long form is one name, not as many words: scored as one word
                    # on average, so a unit reciting a 17-word title does not outrank
                    # every unit about the thing itself.
                    alternatives.append(AnyOf(tuple(Phrase(f, tuple(terms)) for f in NAME_FIELDS),
                                              boost=1.0 / len(terms)))
                    continue
            q = exact_query(other)
            if q is not None:
                alternatives.append(q)
        return alternatives

    def word(node):
        text = node.text
        alternatives = expansions(text)
        if _is_symbolic(text):
            base = exact_query(text)
        else:
            base = stemmed_query(text)
        parts = [q for q in [base, *alternatives] if q is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def phrase(node):
        base = exact_query(node.text)
        # A phrase in the heading is the context of every unit under it: the
        # paragraphs under "Loss and damage" are about loss and damage.
        heading = stemmed_terms(node.text)
        in_heading = Phrase("heading", tuple(heading)) if len(heading) > 1 else None
        parts = [q for q in [base, in_heading, *expansions(node.text)] if q is not None]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def conjunction(node):
        children = list(node.children)
        # A run of plain words that spells out an acronym's long form is that
        # name, matched as a phrase or as the acronym, the same units as the
        # acronym typed: ozone depleting substances <-> ODS.
        compiled = []
        index = 0
        while index < len(children):
            span = _long_form_span(children, index, lexicon)
            if span:
                words = " ".join(c.text for c in children[index:index + span])
                alternatives = expansions(words)
                named = stemmed_terms(words)
                stems.update(named)
                # In the heading too: a treaty annexed under "Annex Paris Agreement".
                together = AnyOf(tuple(Phrase(f, tuple(named)) for f in NAME_FIELDS)) if len(named) > 1 \
                    else build(children[index])
                parts = [q for q in [together, *alternatives] if q is not None]
                if parts:
                    compiled.append(parts[0] if len(parts) == 1 else AnyOf(tuple(parts)))
                index += span
                continue
            q = build(children[index])
            if q is not None:
                compiled.append(q)
            index += 1
        positives = _distinct(q for q in compiled if not isinstance(q, _Negated))
        negatives = _distinct(q.node for q in compiled if isinstance(q, _Negated))
        if not positives:
            return None
        positive = positives[0] if len(positives) == 1 else AllOf(tuple(positives))
        # Words of the query close together rank higher: "regional centres"
        # prefers "regional and subregional centres" to the words pages apart.
        near = _distinct(
            term for c in children
            if isinstance(c, syntax.Word) and not _is_symbolic(c.text)
            for term in stemmed_terms(c.text)
        )
        if len(near) > 1:
            positive = Prefer(positive, Phrase("text", tuple(near), slop=PROXIMITY_SLOP, boost=PROXIMITY_BOOST))
        if negatives:
            return Without(positive, AnyOf(tuple(negatives)) if len(negatives) > 1 else negatives[0])
        return positive

    def build(node):
        if isinstance(node, syntax.Word):
            return word(node)
        if isinstance(node, syntax.Phrase):
            return phrase(node)
        if isinstance(node, syntax.Not):
            # Stems and exact words of a negated part are not marked.
            saved = (set(stems), set(exact), set(sequences))
            child = build(node.child)
            stems.clear(), exact.clear(), sequences.clear()
            stems.update(saved[0]), exact.update(saved[1]), sequences.update(saved[2])
            return _Negated(child) if child is not None else None
        if isinstance(node, syntax.And):
            return conjunction(node)
        if isinstance(node, syntax.Or):
            parts = [build(c) for c in node.children]
            parts = _distinct(q for q in parts if q is not None and not isinstance(q, _Negated))
            if not parts:
                return None
            return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))
        raise TypeError(node)

    compiled = build(tree)
    if isinstance(compiled, _Negated):
        compiled = None
    if compiled is not None:
        # (Not for a choice of words: "basel OR stockholm" is no title.)
        title = stemmed_terms(" ".join(plain_words(tree))) if not isinstance(tree, syntax.Or) else []
        if title:
            marker = Term("title", title[0], boost=TITLE_BOOST) if len(title) == 1 \
                else Phrase("title", tuple(title), boost=TITLE_BOOST)
            compiled = Prefer(compiled, marker)
        # A query that names a theme ranks the paragraphs tagged with it higher.
        themes = lexicon.themes_in(" ".join(_positive_words(tree)))
        if themes:
            boosts = [ConstantScore(Term("theme", t), score=THEME_BOOST) for t in themes]
            compiled = Prefer(compiled, boosts[0] if len(boosts) == 1 else AnyOf(tuple(boosts)))
        compiled = ranked(compiled)
    return compiled, MatchTerms(frozenset(stems), frozenset(exact), tuple(sorted(sequences)))


def _distinct(queries) -> list:
    """Queries in order without repeats: a word typed (or pasted) twice is matched once,
    and the engine's cost grows with every repeated branch."""
    found = []
    for q in queries:
        if q not in found:
            found.append(q)
    return found


def _long_form_span(children, index, lexicon: Lexicon) -> int:
    """Length of the longest run of plain words at ``index`` that is a known long form:
    two words of content at least, not beginning or ending with a stop word (the
    "at the" before "Conference of the Parties" is not part of the name)."""
    first = children[index]
    if not isinstance(first, syntax.Word) or first.text.lower() in STOP_WORDS \
            or not lexicon.may_start_long_form(first.text):
        return 0
    best = 0
    words = []
    content = 0
    for offset in range(index, min(len(children), index + 8)):
        node = children[offset]
        if not isinstance(node, syntax.Word):
            break
        words.append(node.text)
        if node.text.lower() in STOP_WORDS:
            continue
        content += 1
        if content > 1 and lexicon.alternatives(" ".join(words)):
            best = len(words)
    return best


def _top_level(tree) -> tuple[tuple, list[str]]:
    """A query's top-level parts, and their words ('' for a phrase, a group, a negation)."""
    children = tree.children if isinstance(tree, syntax.And) else (tree,)
    return children, [c.text if isinstance(c, syntax.Word) else "" for c in children]


def content_tree(tree):
    """The query without the words that only ask ("How often", "who", "does"), or
    None when nothing else is left; only a query's top-level words are asked with."""
    if not isinstance(tree, syntax.And):
        return tree
    children, words = _top_level(tree)
    asking = asking_words(words)
    kept = tuple(c for i, c in enumerate(children) if i not in asking)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else syntax.And(kept)


def asked_answer(tree) -> str | None:
    """The kind of answer a question asks for (indexer.text.questions), from its opening words."""
    return answer_kind(_top_level(tree)[1])


def best_match(node: Node | None, frequency: Callable[[str, str], int], units: int,
               instruments: tuple[str, ...] = (), answer: str | None = None,
               sources: tuple[tuple[str, str], ...] = ()) -> Node | None:
    """The plan relaxed to match any of its words, their scores summed and scaled by
    the share of the words a unit holds, so units holding more of them, and rarer
    ones, rank first; None when there is nothing to relax (a single word or phrase).

    Words in more than COMMON_WORD_SHARE of the ``units`` are left out (they
    would match most of the index and say little), keeping the BEST_MATCH_MIN_WORDS
    rarest at least; ``frequency(field, term)`` is the index's document frequency.
    Units of the ``instruments`` the query names (whose own text seldom prints
    their name) score INSTRUMENT_SCOPE_BOOST more, units of the ``sources``
    ((facet, value): a document, a decision) it names SOURCE_SCOPE_BOOST more, and
    units holding the kind of ``answer`` a question asks for ANSWER_KIND_BOOST more."""
    relaxed = _relaxed(node, frequency, units)
    if relaxed is None:
        return None
    preferred = [ConstantScore(Term("primary_instrument", i), score=INSTRUMENT_SCOPE_BOOST) for i in instruments]
    preferred += [ConstantScore(Term(facet, value), score=SOURCE_SCOPE_BOOST) for facet, value in sources]
    if answer is not None:
        preferred.append(ConstantScore(Term("traits", answer), score=ANSWER_KIND_BOOST))
    if not preferred:
        return relaxed
    return Prefer(relaxed, preferred[0] if len(preferred) == 1 else AnyOf(tuple(preferred)))


def _relaxed(node: Node | None, frequency: Callable[[str, str], int], units: int) -> Node | None:
    if isinstance(node, Lift):
        # Not lifted in a best match: a question's answer is as often a paragraph of
        # a report or a resolution (measured: questions.tsv top 5, 16 lifted 14).
        return _relaxed(node.child, frequency, units)
    if isinstance(node, ShortScale):
        child = _relaxed(node.child, frequency, units)
        return replace(node, child=child) if child is not None else None
    if isinstance(node, Prefer):
        required = _relaxed(node.required, frequency, units)
        return Prefer(required, node.optional, node.boost) if required is not None else None
    if isinstance(node, Without):
        positive = _relaxed(node.positive, frequency, units)
        return Without(positive, node.negative, node.boost) if positive is not None else None
    if not isinstance(node, AllOf):
        return None
    counts = [_frequency(child, frequency) for child in node.children]
    by_rarity = [child for _count, _i, child in sorted(zip(counts, range(len(counts)), node.children))]
    kept = [child for child, count in zip(node.children, counts) if count <= COMMON_WORD_SHARE * units]
    kept = kept if len(kept) >= BEST_MATCH_MIN_WORDS else by_rarity[:BEST_MATCH_MIN_WORDS]
    return AnyOf(tuple(c for c in node.children if c in kept), node.boost, coordinate=True)


def _frequency(node: Node, frequency: Callable[[str, str], int]) -> int:
    """How many units a node may match at most, from the document frequencies of its terms."""
    if isinstance(node, Term):
        return frequency(node.field, node.text)
    if isinstance(node, Phrase):
        return min((frequency(node.field, w) for w in node.words), default=0)
    if isinstance(node, AnyOf):
        return sum(_frequency(c, frequency) for c in node.children)
    if isinstance(node, AllOf):
        return min((_frequency(c, frequency) for c in node.children), default=0)
    if isinstance(node, Prefer):
        return _frequency(node.required, frequency)
    if isinstance(node, (ConstantScore, ShortScale, Lift)):
        return _frequency(node.child, frequency)
    if isinstance(node, Without):
        return _frequency(node.positive, frequency)
    return 0
