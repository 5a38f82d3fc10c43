"""Keep share-link tokens out of every log line.

A share link's token is the only key to the files it shows (the database keeps
just its hash), so a log line with `/s/<token>/` is a working link in the hands
of whoever reads the logs. This filter rewrites such paths before any handler
writes the record: Django's request warnings ("Not Found: /s/...") and, through
enablement/gunicorn_conf.py, gunicorn's access and error logs.
"""

import logging
import re

# The public share URLs: /s/<token>/, /s/<token>/file/<n>/, ... anywhere in a
# line (request line, path, Referer, full URL).
SHARE_TOKEN_PATH = re.compile(r"/s/[^/?#\s\"']+")
REDACTED_PATH = "/s/[token]"


def redact_share_tokens(text: str) -> str:
    return SHARE_TOKEN_PATH.sub(REDACTED_PATH, text)


class RedactShareTokensFilter(logging.Filter):
    """Formats the record's message, redacted; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad record is the handler's to report
            return True
        redacted = redact_share_tokens(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True
