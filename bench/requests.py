"""The fixed request mix of the search benchmark.

Each query is asked with no filter, with one (its instrument) and with two
(its instrument and a theme, or its instrument and a year). Every request wants
what the search page wants: the first 10 hits with excerpts and the counts of
every facet, which is what ``SearchService.search`` returns.

The filter values are fixed so numbers compare across corpus sizes; they exist
in every scale corpus (``check`` says so before a run).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

# (query, instrument, second filter as (facet, value)): common and rare words,
# phrases, acronyms, symbols, citations, a misspelling, an empty query and questions.
QUERIES = [
    ("parties", "unfccc", ("theme", "financial-resources")),  # in half the units
    ("mercury", "minamata", ("theme", "technology-transfer")),
    ("adaptation", "paris", ("year", "2015")),
    ("technology transfer", "minamata", ("theme", "capacity-building")),
    ('"technology transfer"', "unfccc", ("year", "2023")),
    ("financial mechanism", "minamata", ("theme", "financial-resources")),
    ("capacity-building", "stockholm", ("theme", "technology-transfer")),
    ("environmentally sound management", "basel", ("theme", "guidelines-best-practices")),
    ("prior informed consent", "rotterdam", ("theme", "information-exchange")),
    ("marine genetic resources", "bbnj", ("year", "2023")),
    ("loss and damage", "paris", ("theme", "financial-resources")),
    ("artisanal and small-scale gold mining", "minamata", ("theme", "national-plans")),
    ("greenhouse gas emissions", "unfccc", ("theme", "reporting")),
    ("transboundary movements of hazardous wastes", "basel", ("year", "2019")),
    ("ODS", "montreal", ("theme", "reporting")),  # acronym, expanded both ways
    ("POPs", "stockholm", ("theme", "research-monitoring")),
    ("CDM", "unfccc", ("year", "2015")),
    ("lindane", "stockholm", ("year", "2010")),  # rare
    ("cinnabar", "minamata", ("year", "2005")),  # rare
    ("fellmongery", "basel", ("year", "2019")),  # rare
    ("mercurry", "minamata", ("theme", "technology-transfer")),  # misspelt: suggestion path
    ("INC.1/9", "minamata", ("theme", "capacity-building")),  # symbol, matched exactly
    ("decision 1/CP.21", "paris", ("year", "2015")),
    ("Article 6", "paris", ("theme", "technology-transfer")),
    ("UNEP(DTIE)/Hg/INC.1/10 para 8", "minamata", ("theme", "financial-resources")),  # citation
    ("Basel art. 14", "basel", ("theme", "technology-transfer")),  # citation by name
    ("", "basel", ("theme", "capacity-building")),  # browsing by facets only
    # Questions in plain words: no unit holds every word, so the best match answers.
    ("How often must each Party report on the measures it has taken?", "stockholm", ("theme", "reporting")),
    ("Which Parties asked for regional centres for technology transfer?", "basel", ("theme", "technology-transfer")),
    ("What does the Paris Agreement say about loss and damage?", "paris", ("theme", "financial-resources")),
    ("How much mercury may a product contain under the Minamata Convention?", "minamata", ("year", "2005")),
    ("Who decides on the financial mechanism of the Convention?", "unfccc", ("theme", "financial-resources")),
]


@dataclass(frozen=True)
class Request:
    """One search request: query text and filters (facet -> values)."""

    query: str
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        shown = self.query or "(no query)"
        if self.filters:
            shown += " | " + " ".join(f"{k}={','.join(v)}" for k, v in self.filters.items())
        return shown

    @property
    def active_filters(self) -> int:
        return len(self.filters)

    def path(self) -> str:
        """The JSON API URL of this request."""
        pairs = [("q", self.query)] if self.query else []
        for facet, values in self.filters.items():
            pairs += [(facet, value) for value in values]
        return "/api/search?" + urlencode(pairs)


def request_mix() -> list[Request]:
    """Every query with 0, 1 and 2 active filters, in a fixed order."""
    mix = []
    for query, instrument, (facet, value) in QUERIES:
        mix.append(Request(query))
        mix.append(Request(query, {"instrument": (instrument,)}))
        mix.append(Request(query, {"instrument": (instrument,), facet: (value,)}))
    return mix


def check(mix: list[Request], facet_counts: dict[str, dict[str, int]]) -> list[str]:
    """Filter values of the mix that the corpus does not hold (should be none)."""
    missing = []
    for request in mix:
        for facet, values in request.filters.items():
            missing += [f"{facet}={v}" for v in values if not facet_counts.get(facet, {}).get(v)]
    return sorted(set(missing))
