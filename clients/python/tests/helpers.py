"""What the client's own tests share: the package on the path, and a scripted HTTP server on loopback.

The scripted server stands in for nothing of Tribunal's behaviour beyond the HTTP it speaks; the
client against the real server is tested by test/e2e/python-client.test.ts.
"""

from __future__ import annotations

import json
import sys
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

# Runnable alone from a checkout (`python3 -m unittest discover clients/python/tests`), installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


@dataclass
class Seen:
    """A request the server received."""

    method: str
    path: str
    query: Dict[str, str]
    headers: Dict[str, str]
    body: bytes


@dataclass
class Reply:
    """An answer: a status, headers and a body, whole or ``chunked`` (as labels are streamed); with ``cut_after``,
    only the body's first bytes, chunked, and then the connection closed without the last chunk."""

    status: int = 200
    body: bytes = b""
    headers: Dict[str, str] = field(default_factory=dict)
    chunked: bool = False
    cut_after: Optional[int] = None


def json_reply(status: int, value: Any, headers: Optional[Dict[str, str]] = None) -> Reply:
    return Reply(status, json.dumps(value).encode(), {"Content-Type": "application/json", **(headers or {})})


Route = Callable[[Seen], Reply]


def always(reply: Reply) -> Route:
    """A route answering every request with ``reply``."""
    return lambda seen: reply


class ScriptedServer:
    """An HTTP/1.1 server on 127.0.0.1 that answers each request with what ``route`` says and records it."""

    def __init__(self, route: Route) -> None:
        self.route = route
        self.seen: List[Seen] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                url = urllib.parse.urlsplit(self.path)
                seen = Seen(
                    self.command,
                    url.path,
                    dict(urllib.parse.parse_qsl(url.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                owner.seen.append(seen)
                reply = owner.route(seen)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if not reply.chunked and reply.cut_after is None:
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                    return
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                body = reply.body if reply.cut_after is None else reply.body[: reply.cut_after]
                for start in range(0, len(body), 100):  # chunks that do not end with lines, as on a network
                    part = body[start : start + 100]
                    self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                if reply.cut_after is None:
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    self.close_connection = True  # dropped: no last chunk
                self.wfile.flush()

            do_GET = do_POST = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self) -> "ScriptedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def label(seq: int) -> Dict[str, Any]:
    """A label record in the schema's shape, with sequence number ``seq``."""
    return {
        "schemaVersion": 1,
        "seq": str(seq),
        "id": f"00000000-0000-4000-8000-{seq:012d}",
        "datasetId": "00000000-0000-4000-8000-000000000000",
        "itemId": f"item-{seq}",
        "answer": seq % 3,
        "distribution": [0.0, 0.0, 1.0],
        "method": "mean",
        "agreesWithSimple": seq % 2 == 0,
        "provenance": {"disputeId": f"dispute-{seq}", "debates": [], "verdicts": []},
        "revises": None,
        "createdAt": "2026-01-01T00:00:00.000Z",
    }


def ndjson(labels: List[Dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(item).encode() + b"\n" for item in labels)


class Sleeps:
    """A stand-in for time.sleep that records each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: List[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def feed(total: int, cuts: Optional[Dict[int, int]] = None) -> Tuple[Route, List[Dict[str, Any]]]:
    """A route serving ``GET /labels`` over labels 1..total.

    ``cuts`` maps a request's number (from 1) to the labels sent before its stream is cut.
    """
    labels = [label(seq) for seq in range(1, total + 1)]
    requests = {"n": 0}

    def route(seen: Seen) -> Reply:
        if seen.path != "/labels":
            return json_reply(404, {"statusCode": 404, "message": f"no route {seen.path}"})
        requests["n"] += 1
        after = int(seen.query.get("after", "0"))
        chosen = [item for item in labels if int(item["seq"]) > after][: int(seen.query.get("limit", total))]
        body = ndjson(chosen)
        sent = (cuts or {}).get(requests["n"])
        headers = {"Content-Type": "application/x-ndjson"}
        if sent is None:
            return Reply(200, body, headers, chunked=True)
        # Cut in the middle of the next label's line, as a dropped connection does.
        return Reply(200, body, headers, chunked=True, cut_after=len(ndjson(chosen[:sent])) + 7)

    return route, labels
