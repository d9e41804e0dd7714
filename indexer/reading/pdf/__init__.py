"""The PDF reader: page content operators, placed glyphs, lines, page furniture (the only pypdf user)."""
