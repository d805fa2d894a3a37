"""Reading inputs: plain text, HTML, JSON/JSONL records, standard input."""
