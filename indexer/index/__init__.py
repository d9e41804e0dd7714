"""Building the index: plan the changes, read files in workers, write one generation, publish it."""
