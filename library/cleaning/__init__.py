"""Stage 2, cleaning: format parsers, paragraph repair, metadata, boilerplate rules, heuristics and site model."""
