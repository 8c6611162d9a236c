"""Webhook signatures, checked as ``verifyWebhook`` in ``libs/contracts/src/webhooks.ts`` checks them.

Each delivery carries ``tribunal-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``
keyed with the webhook's secret (shown once, when the webhook is created). A receiver verifies the
body it was sent, byte for byte, before parsing it, and refuses a signature older (or newer) than
the tolerance: an old delivery replayed is refused.

The header is read strictly, as the server's own check reads it: comma-separated ``name=value``
pairs (spaces and tabs around a pair ignored), each name once, ``t`` whole seconds and ``v1`` exactly
64 hex digits; other names are ignored. Anything else is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import Any, Dict, Optional, Tuple, Union

#: The header carrying a delivery's signature: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``.
SIGNATURE_HEADER = "tribunal-signature"
#: The delivery's id: the same on every retry of one delivery, to ignore duplicates by.
DELIVERY_HEADER = "tribunal-delivery"
#: The event delivered: ``label.created`` or ``label.revised``.
EVENT_HEADER = "tribunal-event"
#: How far from now a signature's timestamp may be, in seconds, unless a receiver says otherwise.
DEFAULT_TOLERANCE_SECONDS = 300

Text = Union[str, bytes]

_SECONDS = re.compile(r"[0-9]{1,12}\Z")
_MAC = re.compile(r"[0-9a-fA-F]{64}\Z")
_SPACE = " \t"


def _bytes(value: Text) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def _mac(secret: Text, body: Text, timestamp: int) -> bytes:
    return hmac.new(_bytes(secret), str(timestamp).encode("ascii") + b"." + _bytes(body), hashlib.sha256).digest()


def sign_webhook(secret: Text, body: Text, timestamp: int) -> str:
    """The ``tribunal-signature`` value the server sends with ``body`` at ``timestamp`` (whole unix seconds), as ``signWebhook`` writes it."""
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or timestamp < 0:
        raise ValueError(f"a webhook signature's timestamp must be whole unix seconds, got {timestamp!r}")
    return f"t={timestamp},v1={_mac(secret, body, timestamp).hex()}"


def parse_signature_header(header: Optional[str]) -> Optional[Tuple[int, bytes]]:
    """The timestamp and MAC of a ``tribunal-signature`` value, or ``None`` when it is not exactly one (as ``parseSignatureHeader``)."""
    if not header:
        return None
    fields: Dict[str, str] = {}
    for part in header.split(","):
        pair = part.strip(_SPACE)
        name, equals, value = pair.partition("=")
        if not name or not equals or name in fields:
            return None
        fields[name] = value
    t, v1 = fields.get("t"), fields.get("v1")
    if t is None or v1 is None or not _SECONDS.match(t) or not _MAC.match(v1):
        return None
    return int(t), bytes.fromhex(v1)


def verify_webhook(
    secret: Text,
    header: Optional[str],
    body: Text,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: Optional[float] = None,
) -> bool:
    """True when ``body`` was signed with ``secret`` and the signature's timestamp is within ``tolerance_seconds`` of ``now``.

    ``header`` is the ``tribunal-signature`` header's value (``None`` when it is missing), ``body`` the
    request's body exactly as received (bytes, or the text they decode to as UTF-8), ``now`` unix
    seconds (the clock's by default). The comparison takes the same time whichever byte differs.
    """
    signature = parse_signature_header(header)
    now = time.time() if now is None else now
    if signature is None or abs(now - signature[0]) > tolerance_seconds:
        return False
    return hmac.compare_digest(_mac(secret, body, signature[0]), signature[1])


def header_value(headers: Any, name: str) -> Optional[str]:
    """A header's value from a dict or a message of headers (``http.server``'s ``self.headers``), its name in any case."""
    value = headers.get(name)
    if value is not None:
        return str(value)
    for key, found in headers.items():
        if str(key).lower() == name:
            return str(found)
    return None


def verify_webhook_request(
    secret: Text,
    headers: Any,
    body: Text,
    tolerance_seconds: float = DEFAULT_TOLERANCE_SECONDS,
    now: Optional[float] = None,
) -> bool:
    """``verify_webhook`` over a request's headers (a dict or ``http.server``'s message, names in any case) and raw body."""
    return verify_webhook(secret, header_value(headers, SIGNATURE_HEADER), body, tolerance_seconds, now)
