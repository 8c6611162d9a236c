"""Webhook signatures, checked exactly as ``verifyWebhook`` in ``libs/contracts/src/webhooks.ts`` checks them.

Each delivery carries ``tribunal-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``
keyed with the webhook's secret (shown once, when the webhook is created). A receiver verifies the
body it was sent, byte for byte, before parsing it, and refuses a signature older (or newer) than
the tolerance: an old delivery replayed is refused.

The header is read as the server's own check reads it, quirks included, so that both accept and
refuse the same deliveries: the header is split on ``,`` and each part on ``=`` with nothing trimmed,
a repeated field's last value wins, ``t`` is read as JavaScript's ``Number`` reads a string, and
``v1`` is decoded as Node reads hex (up to the first character that is not a hex digit).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import time
from decimal import Decimal
from typing import Any, Optional, Union

#: The header carrying a delivery's signature: ``t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">``.
SIGNATURE_HEADER = "tribunal-signature"
#: The delivery's id: the same on every retry of one delivery, to ignore duplicates by.
DELIVERY_HEADER = "tribunal-delivery"
#: The event delivered: ``label.created`` or ``label.revised``.
EVENT_HEADER = "tribunal-event"
#: How far from now a signature's timestamp may be, in seconds, unless a receiver says otherwise.
DEFAULT_TOLERANCE_SECONDS = 300

Text = Union[str, bytes]

# JavaScript's white space and line terminators, which Number() trims (Python's str.strip trims others too).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_JS_DECIMAL = re.compile(r"[+-]?(?:Infinity|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\Z")
_JS_RADIX = re.compile(r"0(?:([xX])([0-9a-fA-F]+)|([oO])([0-7]+)|([bB])([01]+))\Z")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _bytes(value: Text) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def js_number(text: Optional[str]) -> float:
    """A string read as JavaScript's ``Number(text)`` reads it (``None`` standing for ``undefined``): NaN when it is no number."""
    if text is None:
        return math.nan
    trimmed = text.strip(_JS_SPACE)
    if trimmed == "":
        return 0.0
    if _JS_DECIMAL.match(trimmed):
        return float(trimmed.replace("Infinity", "inf"))
    radix = _JS_RADIX.match(trimmed)
    if radix:
        digits, base = next((radix.group(i + 1), b) for i, b in ((1, 16), (3, 8), (5, 2)) if radix.group(i + 1))
        try:
            return float(int(digits, base))
        except OverflowError:
            return math.inf
    return math.nan


def js_number_to_string(value: float) -> str:
    """A finite number written as JavaScript's ``String(value)`` writes it (``1700000000``, ``0.5``, ``1e+21``)."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value}")
    if value == 0:
        return "0"
    if value < 0:
        return "-" + js_number_to_string(-value)
    # repr is the shortest text that reads back as the same double, as JavaScript's is; only the layout differs.
    _, digit_tuple, exponent = Decimal(repr(float(value))).as_tuple()
    written = "".join(map(str, digit_tuple))
    digits = written.rstrip("0")  # repr writes "123.0": digits 1230, exponent -1
    exponent = int(exponent) + len(written) - len(digits)
    k = len(digits)
    n = exponent + k  # the value is 0.<digits> x 10^n
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    power = f"e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return (digits if k == 1 else digits[0] + "." + digits[1:]) + power


def _node_hex(text: str) -> bytes:
    """Hex read as Node's ``Buffer.from(text, 'hex')`` reads it: pairs of digits up to the first pair that is not one."""
    out = bytearray()
    for i in range(0, len(text) - 1, 2):
        pair = text[i : i + 2]
        if pair[0] not in _HEX_DIGITS or pair[1] not in _HEX_DIGITS:
            break
        out.append(int(pair, 16))
    return bytes(out)


def _mac(secret: Text, body: Text, timestamp: float) -> str:
    message = js_number_to_string(timestamp).encode("ascii") + b"." + _bytes(body)
    return hmac.new(_bytes(secret), message, hashlib.sha256).hexdigest()


def sign_webhook(secret: Text, body: Text, timestamp: float) -> str:
    """The ``tribunal-signature`` value the server sends with ``body`` at ``timestamp`` (unix seconds), as ``signWebhook`` writes it."""
    return f"t={js_number_to_string(timestamp)},v1={_mac(secret, body, timestamp)}"


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
    parts: dict[str, Optional[str]] = {}
    for part in ("" if header is None else header).split(","):
        pieces = part.split("=")[:2]
        parts[pieces[0]] = pieces[1] if len(pieces) > 1 else None
    timestamp = js_number(parts.get("t"))
    given_hex = parts.get("v1")
    now = time.time() if now is None else now
    if not math.isfinite(timestamp) or not given_hex or abs(now - timestamp) > tolerance_seconds:
        return False
    expected = bytes.fromhex(_mac(secret, body, timestamp))
    given = _node_hex(given_hex)
    return len(expected) == len(given) and hmac.compare_digest(expected, given)


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
