"""Refuse XML whose DOCTYPE declares entities, by what an XML parser sees (defusedxml over expat).

    refuse_entities(utf8_bytes)   # raises UnsafeXML, or returns when the document declares no entity

The prolog is read by expat through ``defusedxml``'s parser, which raises at the first entity declaration (internal,
external or parameter, wherever it stands in the internal subset: after a ``SYSTEM "<x>"`` literal, a ``NOTATION``
or a comment holding ``<``) and at any reference to an external entity. Reading stops at the root element's start
tag: by then every declaration has been seen, so a 10 MB feed costs only its prolog. A prolog that expat cannot read
is refused when the document holds ``<!ENTITY`` anywhere, since no one can then say where its DOCTYPE ends; a
DOCTYPE that only names an external DTD (RSS 0.91's Netscape one) is fine, and that DTD is never fetched.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from newsloom.errors import UnsafeXML

__all__ = ["refuse_entities"]

CHUNK = 64 * 1024
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_REFUSED = "refused: the document's DOCTYPE declares XML entities"
_WHY = "entity expansion and external entities are known attacks, and feeds never need them"


class _RootReached(Exception):
    """Raised from the start tag of the root element: the prolog has been read whole."""


class _StopAtRoot:
    def start(self, tag: str, attrib: dict[str, str]) -> None:
        raise _RootReached

    def close(self) -> None:
        return None


def _quoted(value: object, limit: int = 80) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _describe(exc: DefusedXmlException) -> str:
    if isinstance(exc, EntitiesForbidden):
        kind = "the external entity" if exc.sysid or exc.pubid else "the entity"
        where = f" (SYSTEM {_quoted(exc.sysid)})" if exc.sysid else ""
        return f"{_REFUSED}: {kind} {_quoted(exc.name)}{where}; {_WHY}"
    if isinstance(exc, ExternalReferenceForbidden):
        return f"{_REFUSED}: a reference to the external entity {_quoted(exc.sysid)}; {_WHY}"
    return f"{_REFUSED}: {type(exc).__name__}; {_WHY}"


def refuse_entities(data: bytes) -> None:
    """Raise ``UnsafeXML`` when the XML document ``data`` (UTF-8, as the feed parser will read it) declares an
    entity or refers to an external one; return when its prolog declares none."""
    parser: Any = DefusedXMLParser(target=_StopAtRoot(), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    text = data.lstrip()  # stray whitespace before the XML declaration: expat would stop there, feedparser does not
    try:
        for start in range(0, len(text), CHUNK):
            parser.feed(text[start : start + CHUNK])
        parser.close()
    except _RootReached:
        return
    except DefusedXmlException as exc:
        raise UnsafeXML(_describe(exc)) from exc
    except (ParseError, ValueError) as exc:
        if _ENTITY_DECL.search(data):
            raise UnsafeXML(
                f"{_REFUSED}, and its prolog is not well-formed XML ({exc}), so they cannot be checked; {_WHY}"
            ) from exc
