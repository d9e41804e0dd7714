"""Tags of a unit: instruments and themes from the vocabulary, references it makes."""
