"""Reading what editors write: the pages, their front matter and markup, the citations in them,
the bibliography and the evidence record. Readers return values and Problems; they render nothing."""
