"""The Whoosh engine: schema, analyzers, writer, posting arrays, evaluation, reader."""
