"""Reading files: each format's reader turns a file into a RawDocument (lines, pages, footnotes)."""
