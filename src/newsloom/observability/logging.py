"""Log records as JSON lines (``NEWSLOOM_LOG_FORMAT=json``): one object per line for a log collector to parse."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

#: attributes every LogRecord has; anything else on a record came from ``extra=`` and is passed on
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "process", "thread"}``, plus ``exception`` and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
            "thread": record.threadName,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | type(None)) else repr(value)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(log_format: str, *, debug: bool = False) -> dict[str, Any]:
    """Django's LOGGING: newsloom's and huey's records (and gunicorn's, which ``serve`` routes here) to stderr."""
    formatter: dict[str, Any] = (
        {"()": f"{__name__}.JsonFormatter"} if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )  # fmt: skip
    handler = {"class": "logging.StreamHandler", "formatter": "main"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"console": handler},
        "loggers": {
            "newsloom": {"handlers": ["console"], "level": "DEBUG" if debug else "INFO"},
            "huey": {"handlers": ["console"], "level": "WARNING"},
        },
    }
