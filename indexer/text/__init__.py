"""Pure text primitives: normalisation, spelling folding, tokens, analysis, sentences."""
