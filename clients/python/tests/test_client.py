"""The client's HTTP behaviour against a scripted server: refusals, retries, streams cut and resumed, batches and cursors."""

from __future__ import annotations

import json
import socket
import unittest
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Dict, List, Type

from helpers import Reply, ScriptedServer, Seen, Sleeps, always, feed, json_reply, label

from tribunal_client import (
    Conflict,
    Forbidden,
    Invalid,
    MemoryCursor,
    NotFound,
    TooMany,
    Tribunal,
    TribunalError,
    Unavailable,
    Unreachable,
    retry_after_seconds,
)


def client(server: ScriptedServer, **options: object) -> Tribunal:
    return Tribunal(server.url, "trb_key", **options)  # type: ignore[arg-type]


class RefusalsTest(unittest.TestCase):
    def test_each_status_is_its_kind_with_the_servers_message(self) -> None:
        kinds: Dict[int, Type[TribunalError]] = {400: Invalid, 403: Forbidden, 404: NotFound, 409: Conflict}
        for status, kind in kinds.items():
            with self.subTest(status=status):
                reply = json_reply(status, {"statusCode": status, "message": f"refused with {status}"})
                with ScriptedServer(always(reply)) as server:
                    with self.assertRaises(kind) as raised:
                        client(server).request("GET", "/things")
                self.assertEqual(raised.exception.message, f"refused with {status}")
                self.assertEqual(raised.exception.status, status)
                self.assertIn(f"GET /things: HTTP {status}: refused with {status}", str(raised.exception))
                self.assertEqual(len(server.seen), 1)  # a refusal of the request itself is not retried

    def test_invalid_input_carries_every_problem(self) -> None:
        body = {
            "statusCode": 400,
            "message": "set must be small or large; limit must be at least 1",
            "problems": ["set must be small or large", "limit must be at least 1"],
        }
        with ScriptedServer(lambda seen: json_reply(400, body)) as server:
            with self.assertRaises(Invalid) as raised:
                client(server).count_labels()
        self.assertEqual(raised.exception.problems, body["problems"])
        self.assertEqual(raised.exception.kind, "invalid")

    def test_a_status_of_no_kind_is_a_plain_error(self) -> None:
        for status, body in [
            (401, {"message": "invalid or revoked API key", "error": "Unauthorized", "statusCode": 401}),
            (500, {"statusCode": 500, "message": "internal error"}),
        ]:
            with self.subTest(status=status):
                with ScriptedServer(always(json_reply(status, body))) as server:
                    with self.assertRaises(TribunalError) as raised:
                        client(server, sleep=Sleeps()).request("GET", "/x")
                self.assertIs(type(raised.exception), TribunalError)
                self.assertEqual(raised.exception.message, body["message"])
                self.assertEqual(len(server.seen), 1)

    def test_a_body_that_is_not_json_is_the_message(self) -> None:
        with ScriptedServer(lambda seen: Reply(404, b"Cannot GET /nowhere")) as server:
            with self.assertRaises(NotFound) as raised:
                client(server).request("GET", "/nowhere")
        self.assertEqual(raised.exception.message, "Cannot GET /nowhere")

    def test_sends_the_key(self) -> None:
        with ScriptedServer(lambda seen: json_reply(200, {"count": 3})) as server:
            self.assertEqual(client(server).count_labels(set="small"), 3)
        self.assertEqual(server.seen[0].headers["authorization"], "Bearer trb_key")
        self.assertEqual(server.seen[0].query, {"after": "0", "set": "small"})


class RetriesTest(unittest.TestCase):
    def scripted(self, replies: List[Reply]) -> ScriptedServer:
        queue = list(replies)
        return ScriptedServer(lambda seen: queue.pop(0) if len(queue) > 1 else queue[0])

    def test_waits_as_long_as_retry_after_says_on_429_and_503(self) -> None:
        for status in (429, 503):
            with self.subTest(status=status):
                busy = json_reply(status, {"statusCode": status, "message": "busy"}, {"Retry-After": "2"})
                with self.scripted([busy, busy, json_reply(200, {"count": 5})]) as server:
                    sleeps = Sleeps()
                    self.assertEqual(client(server, sleep=sleeps).count_labels(), 5)
                self.assertEqual(sleeps.waits, [2.0, 2.0])
                self.assertEqual(len(server.seen), 3)

    def test_backs_off_without_retry_after_and_gives_up_with_the_last_refusal(self) -> None:
        down = json_reply(503, {"statusCode": 503, "message": "the queue is not running"})
        with self.scripted([down]) as server:
            sleeps = Sleeps()
            with self.assertRaises(Unavailable) as raised:
                client(server, sleep=sleeps, attempts=4, backoff=1, max_backoff=3).request("GET", "/ready")
        self.assertEqual(raised.exception.message, "the queue is not running")
        self.assertEqual(raised.exception.attempts, 4)
        self.assertIn("after 4 attempts", str(raised.exception))
        self.assertEqual(len(sleeps.waits), 3)
        for wait, ceiling in zip(sleeps.waits, [1, 2, 3]):
            self.assertTrue(ceiling / 2 <= wait <= ceiling, sleeps.waits)

    def test_does_not_wait_longer_than_it_may(self) -> None:
        limited = json_reply(429, {"statusCode": 429, "message": "too many failed authentications"}, {"Retry-After": "120"})
        with self.scripted([limited]) as server:
            sleeps = Sleeps()
            with self.assertRaises(TooMany) as raised:
                client(server, sleep=sleeps, max_retry_after=60).request("GET", "/labels/count")
        self.assertEqual(raised.exception.retry_after, 120.0)
        self.assertTrue(raised.exception.message.startswith("too many failed authentications"))
        self.assertEqual(sleeps.waits, [])
        self.assertEqual(len(server.seen), 1)

    def test_reads_retry_after_as_a_date(self) -> None:
        when = datetime.now(timezone.utc) + timedelta(seconds=30)
        seconds = retry_after_seconds(format_datetime(when, usegmt=True))
        assert seconds is not None
        self.assertTrue(25 <= seconds <= 30, seconds)
        self.assertEqual(retry_after_seconds("7"), 7.0)
        self.assertIsNone(retry_after_seconds("soon"))
        self.assertIsNone(retry_after_seconds(None))

    def test_a_post_is_retried_only_when_refused_unread(self) -> None:
        limited = json_reply(429, {"statusCode": 429, "message": "slow down"}, {"Retry-After": "1"})
        created = json_reply(201, {"webhook": {"id": "w"}, "secret": "whsec_x"})
        with self.scripted([limited, created]) as server:
            self.assertEqual(client(server, sleep=Sleeps()).create_webhook("https://example.com/hook")["secret"], "whsec_x")
        self.assertEqual(json.loads(server.seen[1].body), {"url": "https://example.com/hook"})
        down = json_reply(503, {"statusCode": 503, "message": "down"})
        with self.scripted([down, created]) as server:
            with self.assertRaises(Unavailable) as raised:
                client(server, sleep=Sleeps()).create_webhook("https://example.com/hook")
        self.assertIn("may have been applied", str(raised.exception))
        self.assertEqual(len(server.seen), 1)

    def test_an_unreachable_server_is_retried_then_named(self) -> None:
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]
        sleeps = Sleeps()
        with self.assertRaises(Unreachable) as raised:
            Tribunal(f"http://127.0.0.1:{port}", "trb_key", attempts=3, sleep=sleeps).count_labels()
        self.assertIn(f"Tribunal at http://127.0.0.1:{port}", str(raised.exception))
        self.assertIsNone(raised.exception.status)
        self.assertEqual(len(sleeps.waits), 2)


class LabelsTest(unittest.TestCase):
    def test_streams_every_label_in_order_with_the_filters(self) -> None:
        route, labels = feed(25)
        with ScriptedServer(route) as server:
            since = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=timezone.utc)
            pulled = list(client(server).labels("3", set="small", dataset_id="d", protocol="nyu", since=since))
        self.assertEqual(pulled, labels[3:])
        self.assertEqual(
            server.seen[0].query,
            {"after": "3", "set": "small", "datasetId": "d", "protocol": "nyu", "since": "2026-05-01T12:00:00.123Z"},
        )

    def test_refuses_bad_arguments_before_sending(self) -> None:
        tribunal = Tribunal("http://127.0.0.1:9", "trb_key")
        with self.assertRaisesRegex(ValueError, "after must be a label sequence number"):
            next(tribunal.labels("-1"))
        with self.assertRaisesRegex(ValueError, "limit"):
            next(tribunal.labels(limit=0))
        with self.assertRaisesRegex(ValueError, "timezone-aware"):
            next(tribunal.labels(since=datetime(2026, 1, 1)))
        with self.assertRaisesRegex(ValueError, "size"):
            next(tribunal.label_batches(MemoryCursor(), size=0))

    def test_a_cut_stream_goes_on_from_the_last_label_received(self) -> None:
        route, labels = feed(30, cuts={1: 12, 2: 5})
        with ScriptedServer(route) as server:
            sleeps = Sleeps()
            pulled = [item["seq"] for item in client(server, sleep=sleeps).labels()]
        self.assertEqual(pulled, [item["seq"] for item in labels])
        self.assertEqual([seen.query["after"] for seen in server.seen], ["0", "12", "17"])
        self.assertEqual(sleeps.waits, [])  # each cut came after progress: reconnected at once

    def test_a_stream_cut_again_and_again_without_progress_gives_up(self) -> None:
        route, _ = feed(10, cuts={n: 0 for n in range(1, 10)})
        with ScriptedServer(route) as server:
            sleeps = Sleeps()
            with self.assertRaises(Unreachable) as raised:
                list(client(server, sleep=sleeps, attempts=3).labels())
        self.assertIn("cut", str(raised.exception))
        self.assertEqual(len(server.seen), 3)
        self.assertEqual(len(sleeps.waits), 2)

    def test_limit_counts_across_reconnections(self) -> None:
        route, labels = feed(30, cuts={1: 4})
        with ScriptedServer(route) as server:
            pulled = list(client(server).labels(limit=10))
        self.assertEqual(pulled, labels[:10])
        self.assertEqual([seen.query["limit"] for seen in server.seen], ["10", "6"])


class BatchesTest(unittest.TestCase):
    def test_saves_the_cursor_once_a_batch_is_processed(self) -> None:
        route, labels = feed(10)
        cursor = MemoryCursor()
        seen_cursor: List[str] = []
        with ScriptedServer(route) as server:
            batches = []
            for batch in client(server).label_batches(cursor, size=4):
                seen_cursor.append(cursor.load())  # while processing: still before this batch
                batches.append([item["seq"] for item in batch])
        self.assertEqual(batches, [["1", "2", "3", "4"], ["5", "6", "7", "8"], ["9", "10"]])
        self.assertEqual(seen_cursor, ["0", "4", "8"])
        self.assertEqual(cursor.load(), "10")
        self.assertEqual([seen.query for seen in server.seen], [{"after": a, "limit": "4"} for a in ("0", "4", "8")])

    def test_a_batch_whose_processing_failed_comes_again(self) -> None:
        route, labels = feed(10)
        cursor = MemoryCursor()
        processed: List[str] = []
        with ScriptedServer(route) as server:
            with self.assertRaisesRegex(RuntimeError, "the store is down"):
                for number, batch in enumerate(client(server).label_batches(cursor, size=3), start=1):
                    if number == 2:
                        raise RuntimeError("the store is down")
                    processed += [item["seq"] for item in batch]
            self.assertEqual(cursor.load(), "3")
            for batch in client(server).label_batches(cursor, size=3):
                processed += [item["seq"] for item in batch]
        self.assertEqual(processed, [item["seq"] for item in labels])
        self.assertEqual(cursor.load(), "10")

    def test_an_empty_feed_leaves_the_cursor(self) -> None:
        route, _ = feed(0)
        cursor = MemoryCursor("0")
        with ScriptedServer(route) as server:
            self.assertEqual(list(client(server).label_batches(cursor)), [])
        self.assertEqual(cursor.load(), "0")

    def test_limit_caps_the_whole_run(self) -> None:
        route, labels = feed(10)
        cursor = MemoryCursor()
        with ScriptedServer(route) as server:
            batches = list(client(server).label_batches(cursor, size=4, limit=6))
        self.assertEqual([len(b) for b in batches], [4, 2])
        self.assertEqual(cursor.load(), "6")
        self.assertEqual([seen.query["limit"] for seen in server.seen], ["4", "2"])


class ShapesTest(unittest.TestCase):
    def test_the_scripted_label_has_the_schemas_keys(self) -> None:
        from tribunal_client import Label

        self.assertEqual(set(label(1)), set(Label.__annotations__))

    def test_a_route_records_what_it_was_sent(self) -> None:
        def route(seen: Seen) -> Reply:
            return json_reply(200, {"disabled": True})

        with ScriptedServer(route) as server:
            self.assertTrue(client(server).delete_webhook("a/b"))
        self.assertEqual((server.seen[0].method, server.seen[0].path), ("DELETE", "/webhooks/a%2Fb"))


if __name__ == "__main__":
    unittest.main()
