"""Stage 1, ingest: paths and globs, decoding, format sniffing, data-set records, HTML, parallel reading."""
