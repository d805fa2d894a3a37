"""Numbered errors. Every failure a user can see has a stable code.

    NewsgraphError
    ├── InputError      NG1xx  the input cannot be read as a news article
    ├── ModelError      NG2xx  the spaCy pipeline cannot be loaded
    ├── StoreError      NG3xx  the knowledge store refused or failed
    ├── QueryError      NG4xx  a query names something that does not exist
    └── ServerError     NG5xx  the HTTP layer (auth, fetching URLs)

The message always starts with the code, then what went wrong, then where
(``NG101 empty input: notes/a.txt``), so it can be grepped, tested and documented.
"""
from __future__ import annotations


class NewsgraphError(Exception):
    """Base class: ``code`` is the stable NGxxx code, ``where`` names the input."""

    code = "NG000"

    def __init__(self, message: str, where: str | None = None, *, code: str | None = None):
        if code:
            self.code = code
        self.message = message
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.code} {self.message}" + (f": {self.where}" if self.where else "")


class InputError(NewsgraphError):
    code = "NG100"


class ModelError(NewsgraphError):
    code = "NG200"


class StoreError(NewsgraphError):
    code = "NG300"


class QueryError(NewsgraphError):
    code = "NG400"


class ServerError(NewsgraphError):
    code = "NG500"


# The codes, in one place (documented in README "Errors").
NG101_EMPTY = "NG101"            # empty input (or only whitespace)
NG102_BINARY = "NG102"           # binary content (NUL bytes, control characters)
NG103_UNDECODABLE = "NG103"      # bytes that are not UTF-8
NG104_NO_ARTICLE = "NG104"       # an HTML page with no main text
NG105_NOT_ENGLISH = "NG105"      # the text is not English
NG106_TOO_LARGE = "NG106"        # over the size limit (default 5 MB of text)
NG107_BAD_RECORD = "NG107"       # a JSON/JSONL record that is not an object with "text"
NG108_NOT_FOUND = "NG108"        # no such file
NG109_BAD_DATE = "NG109"         # a publication date that is not ISO 8601
NG110_UNSUPPORTED = "NG110"      # a file type newsgraph does not read
NG201_NO_MODEL = "NG201"         # the spaCy pipeline is not installed
NG202_NO_COMPONENT = "NG202"     # the pipeline lacks a component newsgraph needs
NG301_STORE_OPEN = "NG301"       # the store cannot be opened (bad path, bad DSN, server down)
NG302_STORE_NEWER = "NG302"      # the database was made by a newer newsgraph
NG303_WRITE_FAILED = "NG303"     # an article's write failed and was rolled back
NG304_BAD_CORRECTION = "NG304"   # an entity merge/split that cannot be done
NG305_IMPORT_NOT_EMPTY = "NG305" # import into a store that already holds articles
NG306_NOT_AN_EXPORT = "NG306"    # the file is not a newsgraph export
NG401_NO_ENTITY = "NG401"        # no such entity
NG402_NO_ARTICLE = "NG402"       # no such article
NG403_BAD_QUERY = "NG403"        # an empty or malformed query
NG203_NO_CLUSTER = "NG203"       # the Dask cluster cannot be reached, or dask is not installed
NG204_BAD_CLUSTER = "NG204"      # a --cluster address that is neither tcp://host:port nor local:N
NG205_WORKER_DIED = "NG205"      # a --jobs worker process died twice on the same batch
