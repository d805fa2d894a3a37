"""Reading inputs: plain text, HTML, JSON/JSONL records, standard input."""

from .checks import check_published, check_text
from .readers import Item, from_html, make_article, read_inputs, text_id

__all__ = ["Item", "check_published", "check_text", "from_html", "make_article", "read_inputs", "text_id"]
