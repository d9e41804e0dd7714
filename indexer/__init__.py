"""MEA paragraph search: the indexing and search core (no web framework here).

Flow: file -> readers -> lines -> paragraphs -> units -> tagging -> index -> search results.
"""
