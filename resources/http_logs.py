"""httpx logs every request's full URL at INFO ("HTTP Request: POST https://..."). Webhook
URLs carry their secret in the path (Slack, Discord, a signed receiver's route) and API
calls may carry keys or addresses in the query, so request lines are logged with the
scheme and host only. Installed once, by importing the ``resources`` package."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

_MARK = "_scanlake_url_filter"


def _host_only(value: object) -> object:
    text = str(value)
    if "://" not in text:
        return value
    parts = urlsplit(text)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/[redacted]"


class HostOnlyUrls(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_host_only(a) for a in record.args)
        return True


def install() -> None:
    logger = logging.getLogger("httpx")
    if not any(getattr(f, _MARK, False) for f in logger.filters):
        url_filter = HostOnlyUrls()
        setattr(url_filter, _MARK, True)
        logger.addFilter(url_filter)
