"""The refusals a Tribunal server answers with, as exceptions.

The server answers a refusal with a status and a JSON body ``{"statusCode", "message"}`` (``"problems"``
too for invalid input, one per offending field). Each status that stands for one of the server's kinds
of refusal (``ERROR_KINDS`` in ``libs/contracts/src/errors.ts``) is raised as its class here:

======  ===============  ==============
status  kind             exception
======  ===============  ==============
400     ``invalid``      ``Invalid``
403     ``forbidden``    ``Forbidden``
404     ``not-found``    ``NotFound``
409     ``conflict``     ``Conflict``
429     ``too-many``     ``TooMany``
503     ``unavailable``  ``Unavailable``
======  ===============  ==============

Any other status (401 for a missing or revoked key, 500 for a fault) is a plain ``TribunalError``;
a server that cannot be reached is ``Unreachable``. Every one carries the server's own message.
"""

from __future__ import annotations

from typing import ClassVar, Dict, List, Optional, Type


class TribunalError(Exception):
    """A request Tribunal refused (or that could not reach it).

    ``message`` is the server's own message, whole; ``str(error)`` adds the request and the status.
    """

    #: The server's kind of refusal (``errors.ts``), or None for a status that stands for none.
    kind: ClassVar[Optional[str]] = None

    def __init__(self, message: str, *, status: Optional[int] = None, request: str = "", attempts: int = 1) -> None:
        self.message = message
        #: The HTTP status the server answered, or None when it answered nothing.
        self.status = status
        #: The request refused, as ``"GET /labels?after=0"``.
        self.request = request
        #: How many times the request was sent before giving up.
        self.attempts = attempts
        where = f"{request}: " if request else ""
        answered = f"HTTP {status}: " if status is not None else ""
        tried = f" (after {attempts} attempts)" if attempts > 1 else ""
        super().__init__(f"{where}{answered}{message}{tried}")


class Invalid(TribunalError):
    """Bad input (400): every problem named, each by the field it concerns where there is one."""

    kind = "invalid"

    def __init__(
        self, message: str, *, problems: Optional[List[str]] = None, status: Optional[int] = 400, request: str = "", attempts: int = 1
    ) -> None:
        super().__init__(message, status=status, request=request, attempts=attempts)
        #: The server's problems, one per offending field; ``message`` joins them with "; ".
        self.problems: List[str] = list(problems) if problems else [message]


class Forbidden(TribunalError):
    """The key's role may not do this (403)."""

    kind = "forbidden"


class NotFound(TribunalError):
    """What was asked for does not exist, or is not the caller's to see (404)."""

    kind = "not-found"


class Conflict(TribunalError):
    """The request is fine, but the state of things refuses it (409)."""

    kind = "conflict"


class TooMany(TribunalError):
    """Too many attempts (429): wait ``retry_after`` seconds, when the server said how long."""

    kind = "too-many"

    def __init__(
        self, message: str, *, retry_after: Optional[float] = None, status: Optional[int] = 429, request: str = "", attempts: int = 1
    ) -> None:
        super().__init__(message, status=status, request=request, attempts=attempts)
        #: The server's Retry-After, in seconds, if it sent one.
        self.retry_after = retry_after


class Unavailable(TribunalError):
    """Something the server needs is missing or down, whatever the caller does (503)."""

    kind = "unavailable"


class Unreachable(TribunalError):
    """No answer: the connection was refused, reset or timed out (after the client's retries)."""


#: The exception class of each status that stands for a kind of refusal.
ERRORS_BY_STATUS: Dict[int, Type[TribunalError]] = {
    400: Invalid,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    429: TooMany,
    503: Unavailable,
}


def error_of_status(
    status: int,
    message: str,
    *,
    problems: Optional[List[str]] = None,
    retry_after: Optional[float] = None,
    request: str = "",
    attempts: int = 1,
) -> TribunalError:
    """The exception for a refusal with ``status`` and the server's ``message``."""
    cls = ERRORS_BY_STATUS.get(status, TribunalError)
    if cls is Invalid:
        return Invalid(message, problems=problems, status=status, request=request, attempts=attempts)
    if cls is TooMany:
        return TooMany(message, retry_after=retry_after, status=status, request=request, attempts=attempts)
    return cls(message, status=status, request=request, attempts=attempts)
