"""A client of a Tribunal server's HTTP API for pipelines: labels, pulled and resumed, and webhooks."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, TypeVar, Union

from ._version import __version__
from .cursor import Cursor, FileCursor, check_seq
from .errors import TribunalError, Unreachable, error_of_status
from .schema import CreatedWebhook, Label, LabelSet, Webhook, WebhookDelivery, WebhookEvent

#: Statuses that say "not now": a rate limit, an unavailable server, or a gateway in front of one.
RETRIED_STATUSES = frozenset({429, 502, 503, 504})
#: Methods whose repetition has the effect of one request (RFC 9110 9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
#: The most labels one request may ask for (the API's own bound on ``limit``).
MAX_LIMIT = 100_000_000

Since = Union[str, datetime]
T = TypeVar("T")


class _Failure(Exception):
    """Why one attempt failed, and whether another may succeed."""

    def __init__(
        self,
        cause: str,
        *,
        transient: bool,
        reached: bool,
        status: Optional[int] = None,
        message: str = "",
        problems: Optional[List[str]] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(cause)
        self.cause = cause
        self.transient = transient
        #: Whether the server may have received (and acted on) the request.
        self.reached = reached
        self.status = status
        self.message = message
        self.problems = problems
        self.retry_after = retry_after


def retry_after_seconds(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """A Retry-After header (seconds, or an HTTP date) as seconds from now; None when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _refusal(status: int, body: bytes, retry_after: Optional[str]) -> _Failure:
    """A refusal's failure: the server's ``message`` (and ``problems``) from its JSON body, else the start of the body."""
    text = body.decode("utf-8", "replace")
    message = text[:500]
    problems: Optional[List[str]] = None
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and "message" in parsed:
        given = parsed["message"]
        message = "; ".join(map(str, given)) if isinstance(given, list) else str(given)
        if isinstance(parsed.get("problems"), list):
            problems = [str(p) for p in parsed["problems"]]
    return _Failure(
        f"HTTP {status}: {message}",
        transient=status in RETRIED_STATUSES,
        # A 429 is a refusal before any work; a 502 or 504 may follow work done behind the gateway.
        reached=status != 429,
        status=status,
        message=message or http.client.responses.get(status, ""),
        problems=problems,
        retry_after=retry_after_seconds(retry_after),
    )


def _network_failure(error: BaseException) -> _Failure:
    """A failure to connect or to read, and whether the request may have reached the server."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    refused = isinstance(reason, ConnectionRefusedError)
    if isinstance(reason, socket.gaierror):
        return _Failure(f"host name lookup failed: {reason}", transient=True, reached=False)
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _Failure("timed out waiting for the server", transient=True, reached=True)
    if isinstance(reason, (ConnectionError, http.client.HTTPException, OSError)):
        described = str(reason) or type(reason).__name__
        return _Failure(f"connection failed: {described}", transient=True, reached=not refused)
    return _Failure(str(reason), transient=False, reached=True)


def _since(value: Since) -> str:
    """A time for the ``since`` filter: an aware datetime, written to the millisecond (the server reads no finer), or ISO text."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("since must be a timezone-aware datetime (datetime.now(timezone.utc), say): a naive one names no instant")
        utc = value.astimezone(timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    return str(value)


class Tribunal:
    """A Tribunal server, reached with an API key (a pipeline's: ``users create NAME pipeline``).

    Requests that may be repeated (every GET, and DELETE) are retried on network failures and on
    HTTP 429, 502, 503 and 504, waiting as long as the server's Retry-After says (up to
    ``max_retry_after`` seconds; a server asking for longer is not retried), else with exponential
    backoff and jitter, ``attempts`` times in all. A POST is retried only when it provably never
    reached the server (connection refused) or was refused unread (429). When the client gives up
    it raises the refusal's exception (``tribunal_client.errors``), carrying the server's message.

    ``timeout`` bounds each wait on the network (connecting, or the next bytes of an answer), in seconds.
    """

    def __init__(
        self,
        url: str,
        key: str,
        *,
        timeout: float = 120.0,
        attempts: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 10.0,
        max_retry_after: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"url must be an http(s) URL, such as http://127.0.0.1:3000, got {url!r}")
        if not key:
            raise ValueError("an API key is needed: a pipeline's, from `users create NAME pipeline`")
        self.url = url.rstrip("/")
        self._key = key
        self.timeout = timeout
        self.attempts = max(1, int(attempts))
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_retry_after = max_retry_after
        self._sleep = sleep
        self._opener = urllib.request.build_opener()

    @classmethod
    def from_env(cls, **options: Any) -> "Tribunal":
        """A client of ``TRIBUNAL_URL`` (default http://127.0.0.1:3000) with the key ``TRIBUNAL_KEY``, as the command line reads them."""
        key = os.environ.get("TRIBUNAL_KEY", "")
        if not key:
            raise ValueError("TRIBUNAL_KEY is not set: give the pipeline's API key")
        return cls(os.environ.get("TRIBUNAL_URL") or "http://127.0.0.1:3000", key, **options)

    def __repr__(self) -> str:
        return f"Tribunal({self.url!r})"

    # ---------------------------------------------------------------- labels

    def labels(
        self,
        after: Union[str, int] = "0",
        *,
        set: Optional[LabelSet] = None,
        dataset_id: Optional[str] = None,
        protocol: Optional[str] = None,
        since: Optional[Since] = None,
        limit: Optional[int] = None,
    ) -> Iterator[Label]:
        """Every label with a sequence number greater than ``after``, in order, streamed one at a time.

        The filters are the API's: ``set`` ``"small"`` (labels agreeing with the simple label) or
        ``"large"`` (every accepted label, the default), ``dataset_id``, ``protocol`` (a protocol's
        name), ``since`` (labels created at or after this time), ``limit`` (at most this many).
        The labels are read from the response as they arrive, never gathered: a pull of millions
        holds one at a time. A pull ends at the labels committed when it began; the next pull, after
        the last ``seq``, returns the rest. Should the stream be cut on the way (the server restarted,
        a proxy's timeout), the pull goes on from the last label received, so none is lost or repeated.
        """
        after = check_seq(after)
        remaining = _check_limit(limit)
        filters = _label_filters(set, dataset_id, protocol, since)
        cuts = 0
        while True:
            query = {"after": after, **filters}
            if remaining is not None:
                query["limit"] = str(remaining)
            path = "/labels?" + urllib.parse.urlencode(query)
            response = self._send("GET", path, None, lambda streaming: streaming)
            progressed = False
            cut: Optional[str] = None
            with contextlib.closing(response):
                while True:
                    try:
                        line = response.readline()
                    except (OSError, http.client.HTTPException) as error:
                        cut = _network_failure(error).cause
                        break
                    if not line:
                        return
                    if not line.endswith(b"\n"):
                        cut = "the stream ended inside a label"
                        break
                    if not line.strip():
                        continue
                    label = _parse_label(line, path)
                    after = label["seq"]
                    progressed = True
                    yield label
                    if remaining is not None:
                        remaining -= 1
                        if remaining == 0:
                            return
            cuts = 0 if progressed else cuts + 1
            if cuts >= self.attempts:
                raise Unreachable(
                    f"the stream of labels was cut ({cut}) {cuts} times in a row without a label received",
                    request=f"GET {path}",
                    attempts=cuts,
                )
            if cuts:
                self._sleep(self._backoff(cuts))

    def label_batches(
        self,
        cursor: Union[Cursor, str, "os.PathLike[str]"],
        *,
        size: int = 1000,
        set: Optional[LabelSet] = None,
        dataset_id: Optional[str] = None,
        protocol: Optional[str] = None,
        since: Optional[Since] = None,
        limit: Optional[int] = None,
    ) -> Iterator[List[Label]]:
        """The labels after the cursor's position, in lists of at most ``size``; the cursor follows what is processed.

        ``cursor`` is a ``Cursor``, or a file's path for a ``FileCursor``. A batch counts as processed
        when the loop asks for the next one (or ends): only then is the cursor saved, at the batch's last
        label. A pipeline stopped while processing a batch (killed, or an exception out of the loop)
        gets that batch again on its next run, and never a batch it has finished, so a pipeline that
        writes each batch in one transaction, or idempotently, sees every label exactly once. Leaving
        the loop with ``break`` also leaves the batch in hand unprocessed.

        Each batch is its own request (``limit=size``), read as it streams: nothing is held open while
        the loop body works, and memory holds one batch. It ends when the feed has no more labels.
        The filters are those of ``labels``; ``limit`` caps the labels of the whole run.
        """
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_LIMIT:
            raise ValueError(f"size must be an integer from 1 to {MAX_LIMIT}, got {size!r}")
        place = FileCursor(cursor) if isinstance(cursor, (str, os.PathLike)) else cursor
        remaining = _check_limit(limit)
        after = place.load()
        while remaining is None or remaining > 0:
            page = size if remaining is None else min(size, remaining)
            batch = list(self.labels(after, set=set, dataset_id=dataset_id, protocol=protocol, since=since, limit=page))
            if not batch:
                return
            yield batch
            after = batch[-1]["seq"]
            place.save(after)
            if remaining is not None:
                remaining -= len(batch)
            if len(batch) < page:
                return

    def count_labels(
        self,
        after: Union[str, int] = "0",
        *,
        set: Optional[LabelSet] = None,
        dataset_id: Optional[str] = None,
        protocol: Optional[str] = None,
        since: Optional[Since] = None,
    ) -> int:
        """How many labels ``labels`` with the same arguments would return now."""
        query = {"after": check_seq(after), **_label_filters(set, dataset_id, protocol, since)}
        answer = self.request("GET", "/labels/count?" + urllib.parse.urlencode(query))
        return int(answer["count"])

    # ---------------------------------------------------------------- webhooks

    def create_webhook(self, url: str, *, events: Optional[List[WebhookEvent]] = None, dataset_id: Optional[str] = None) -> CreatedWebhook:
        """Has labels POSTed to ``url`` as they are made (``events``: both kinds by default; only ``dataset_id``'s, if given).

        The answer holds the signing secret, shown this once: keep it for ``verify_webhook``.
        """
        body: Dict[str, Any] = {"url": url}
        if events is not None:
            body["events"] = list(events)
        if dataset_id is not None:
            body["datasetId"] = dataset_id
        created: CreatedWebhook = self.request("POST", "/webhooks", body)
        return created

    def webhooks(self) -> List[Webhook]:
        """The key's own webhooks (an admin's key: everyone's)."""
        found: List[Webhook] = self.request("GET", "/webhooks")
        return found

    def webhook_deliveries(self, webhook_id: str) -> List[WebhookDelivery]:
        """A webhook's delivery log: each event, its attempts, the receiver's last answer or the error."""
        log: List[WebhookDelivery] = self.request("GET", f"/webhooks/{urllib.parse.quote(webhook_id, safe='')}/deliveries")
        return log

    def delete_webhook(self, webhook_id: str) -> bool:
        """Disables one of the key's webhooks; true when it is disabled."""
        answer = self.request("DELETE", f"/webhooks/{urllib.parse.quote(webhook_id, safe='')}")
        return bool(answer["disabled"])

    # ---------------------------------------------------------------- any route

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """Any route of the API: the JSON answer to ``method path`` (``body`` sent as JSON), with this client's retries."""
        payload = self._send(method, path, body, lambda response: response.read())
        return json.loads(payload) if payload.strip() else None

    # ---------------------------------------------------------------- sending

    def _send(self, method: str, path: str, body: Any, read: Callable[[http.client.HTTPResponse], T]) -> T:
        """What ``read`` makes of the server's 2xx response, the request sent until it is answered or the client gives up.

        ``read`` runs within the attempt, so a body cut on the way is retried too; one that returns
        the response itself leaves its body to stream, for the caller to close.
        """
        method = method.upper()
        idempotent = method in IDEMPOTENT_METHODS
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Authorization": f"Bearer {self._key}", "User-Agent": f"tribunal-client-python/{__version__}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(urllib.request.Request(self.url + path, data=data, headers=headers, method=method), read)
            except _Failure as failure:
                self._give_up_or_wait(failure, f"{method} {path}", attempt, idempotent)

    def _attempt(self, request: urllib.request.Request, read: Callable[[http.client.HTTPResponse], T]) -> T:
        try:
            response: http.client.HTTPResponse = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            try:
                body = error.read()
            except (OSError, http.client.HTTPException):
                body = b""
            finally:
                error.close()
            raise _refusal(error.code, body, error.headers.get("Retry-After")) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise _network_failure(error) from None
        try:
            result = read(response)
        except (OSError, http.client.HTTPException) as error:
            response.close()
            raise _network_failure(error) from None
        if result is not response:
            response.close()
        return result

    def _give_up_or_wait(self, failure: _Failure, request: str, attempt: int, idempotent: bool) -> None:
        """Raises the error to give up with, or waits before the next attempt."""
        where = "" if failure.status is not None else f" (Tribunal at {self.url})"

        def give_up(note: str = "") -> TribunalError:
            if failure.status is None:
                return Unreachable(failure.cause + where + note, request=request, attempts=attempt)
            return error_of_status(
                failure.status,
                failure.message + note,
                problems=failure.problems,
                retry_after=failure.retry_after,
                request=request,
                attempts=attempt,
            )

        if not failure.transient:
            raise give_up()
        if not idempotent and failure.reached:
            method = request.split(" ")[0]
            raise give_up(
                f"; not retried, as a {method} may have been applied by the server before it failed: check before sending it again"
            )
        if failure.retry_after is not None and failure.retry_after > self.max_retry_after:
            raise give_up(
                f"; the server asks to retry after {failure.retry_after:g} s, longer than the {self.max_retry_after:g} s this client waits"
            )
        if attempt >= self.attempts:
            raise give_up()
        self._sleep(failure.retry_after if failure.retry_after is not None else self._backoff(attempt))

    def _backoff(self, retry: int) -> float:
        """The wait before retry number ``retry``: exponential, capped, with equal jitter (half fixed, half random)."""
        ceiling = min(self.max_backoff, self.backoff * 2.0 ** (retry - 1))
        return ceiling / 2 + random.random() * (ceiling / 2)


def _check_limit(limit: Optional[int]) -> Optional[int]:
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be an integer from 1 to {MAX_LIMIT}, got {limit!r}")
    return limit


def _label_filters(set: Optional[str], dataset_id: Optional[str], protocol: Optional[str], since: Optional[Since]) -> Dict[str, str]:
    """The query parameters of the label filters given (the server validates them and names any problem)."""
    given: List[Tuple[str, Optional[str]]] = [
        ("set", set),
        ("datasetId", dataset_id),
        ("protocol", protocol),
        ("since", None if since is None else _since(since)),
    ]
    return {name: value for name, value in given if value is not None}


def _parse_label(line: bytes, path: str) -> Label:
    try:
        label: Label = json.loads(line)
    except ValueError:
        raise TribunalError(f"the server sent a line that is not JSON: {line[:200]!r}", request=f"GET {path}") from None
    return label
