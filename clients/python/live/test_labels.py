"""The client against a running Tribunal: every filter of GET /labels, and the server's refusals as exceptions.

Run by test/e2e/python-client.test.ts once the server has labels of two datasets under two protocols:
TRIBUNAL_URL, TRIBUNAL_KEY (a pipeline's), TRIBUNAL_JUDGE_KEY, TRIBUNAL_RECEIVER_URL.
"""

from __future__ import annotations

import os
import unittest
import uuid
from datetime import datetime
from typing import Callable, List

from tribunal_client import Forbidden, Invalid, Label, MemoryCursor, NotFound, TooMany, Tribunal, TribunalError


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} is not set: these tests run from test/e2e/python-client.test.ts, against the Tribunal it starts")
    return value


class LabelFiltersTest(unittest.TestCase):
    tribunal: Tribunal
    full: List[Label]

    @classmethod
    def setUpClass(cls) -> None:
        cls.tribunal = Tribunal(env("TRIBUNAL_URL"), env("TRIBUNAL_KEY"))
        cls.full = list(cls.tribunal.labels())

    def same(self, expected: List[Label], **filters: object) -> None:
        """The filtered pull is exactly the full pull's labels that match, and the count says as many."""
        pulled = list(self.tribunal.labels(**filters))  # type: ignore[arg-type]
        self.assertEqual([label["seq"] for label in pulled], [label["seq"] for label in expected], filters)
        self.assertEqual(pulled, expected)
        self.assertEqual(self.tribunal.count_labels(**filters), len(expected))  # type: ignore[arg-type]

    def matching(self, keep: Callable[[Label], bool]) -> List[Label]:
        return [label for label in self.full if keep(label)]

    def test_the_full_pull_is_in_order_and_counted(self) -> None:
        seqs = [int(label["seq"]) for label in self.full]
        self.assertGreaterEqual(len(seqs), 10)
        self.assertEqual(seqs, sorted(set(seqs)))
        self.assertEqual(self.tribunal.count_labels(), len(self.full))
        self.assertTrue(all(label["schemaVersion"] == 1 for label in self.full))

    def test_after_and_limit(self) -> None:
        self.same(self.full[5:], after=self.full[4]["seq"])
        self.assertEqual(list(self.tribunal.labels(limit=3)), self.full[:3])
        self.assertEqual(list(self.tribunal.labels(self.full[2]["seq"], limit=4)), self.full[3:7])
        self.same([], after=self.full[-1]["seq"])

    def test_set(self) -> None:
        small = self.matching(lambda label: label["agreesWithSimple"])
        self.assertGreater(len(small), 0)
        self.assertLess(len(small), len(self.full), "the test's labels should include some that disagree with the simple label")
        self.same(small, set="small")
        self.same(self.full, set="large")

    def test_dataset(self) -> None:
        datasets = sorted({label["datasetId"] for label in self.full})
        self.assertEqual(len(datasets), 2)
        for dataset in datasets:
            self.same([label for label in self.full if label["datasetId"] == dataset], dataset_id=dataset)
        self.same([], dataset_id=str(uuid.uuid4()))

    def test_protocol(self) -> None:
        protocols = sorted({debate["protocolName"] for label in self.full for debate in label["provenance"]["debates"]})
        self.assertEqual(len(protocols), 2)
        for name in protocols:
            self.same(
                [label for label in self.full if any(d["protocolName"] == name for d in label["provenance"]["debates"])],
                protocol=name,
            )
        self.same([], protocol="no-such-protocol")

    def test_since(self) -> None:
        times = sorted({label["createdAt"] for label in self.full})
        self.assertGreater(len(times), 2)
        middle = times[len(times) // 2]
        expected = self.matching(lambda label: label["createdAt"] >= middle)
        self.assertTrue(0 < len(expected) < len(self.full))
        self.same(expected, since=middle)
        self.same(expected, since=datetime.fromisoformat(middle.replace("Z", "+00:00")))

    def test_filters_together(self) -> None:
        dataset = self.full[0]["datasetId"]
        self.same(self.matching(lambda label: label["datasetId"] == dataset and label["agreesWithSimple"]), dataset_id=dataset, set="small")

    def test_batches_follow_the_same_filters(self) -> None:
        dataset = self.full[-1]["datasetId"]
        cursor = MemoryCursor()
        batches = list(self.tribunal.label_batches(cursor, size=3, dataset_id=dataset))
        expected = [label for label in self.full if label["datasetId"] == dataset]
        self.assertEqual([label for batch in batches for label in batch], expected)
        self.assertTrue(all(len(batch) == 3 for batch in batches[:-1]))
        self.assertEqual(cursor.load(), expected[-1]["seq"])


class RefusalsTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tribunal = Tribunal(env("TRIBUNAL_URL"), env("TRIBUNAL_KEY"))

    def test_invalid_filters_are_named(self) -> None:
        with self.assertRaises(Invalid) as raised:
            list(self.tribunal.labels(set="medium"))  # type: ignore[arg-type]
        self.assertEqual(raised.exception.status, 400)
        self.assertIn("set", raised.exception.message)
        with self.assertRaises(Invalid) as raised:
            self.tribunal.count_labels(dataset_id="not-a-uuid")
        self.assertIn("datasetId", raised.exception.message)
        with self.assertRaises(Invalid) as raised:
            list(self.tribunal.labels(since="2026-W18"))
        self.assertEqual(raised.exception.message, "since must be a calendar date and time, such as 2026-05-01T00:00:00Z")
        self.assertEqual(raised.exception.problems, [raised.exception.message])

    def test_another_role_is_forbidden(self) -> None:
        judge = Tribunal(env("TRIBUNAL_URL"), env("TRIBUNAL_JUDGE_KEY"))
        with self.assertRaises(Forbidden) as raised:
            list(judge.labels())
        self.assertEqual(raised.exception.status, 403)
        self.assertIn("role judge may not call this route", raised.exception.message)

    def test_webhooks_are_created_listed_and_deleted(self) -> None:
        created = self.tribunal.create_webhook(env("TRIBUNAL_RECEIVER_URL"), events=["label.revised"])
        self.assertTrue(created["secret"].startswith("whsec_"))
        hook = created["webhook"]
        self.assertEqual(hook["events"], ["label.revised"])
        self.assertIn(hook["id"], [w["id"] for w in self.tribunal.webhooks()])
        self.assertEqual(self.tribunal.webhook_deliveries(hook["id"]), [])
        self.assertTrue(self.tribunal.delete_webhook(hook["id"]))
        with self.assertRaises(NotFound) as raised:
            self.tribunal.delete_webhook(hook["id"])
        self.assertEqual(raised.exception.message, f"webhook {hook['id']} does not exist or is already disabled")
        with self.assertRaises(Invalid) as invalid:
            self.tribunal.webhook_deliveries("nope")
        self.assertEqual(invalid.exception.message, "id in the path must be a UUID")
        with self.assertRaises(Invalid) as invalid:
            self.tribunal.create_webhook("ftp://example.com/x")
        self.assertIn("url must be an http(s) URL", invalid.exception.problems)

    def test_a_wrong_key_is_refused_then_limited(self) -> None:
        # The server under test allows 2 failed authentications a minute from one address.
        guesser = Tribunal(env("TRIBUNAL_URL"), "trb_" + "0" * 43, max_retry_after=1)
        refusals: List[TribunalError] = []
        for _ in range(3):
            with self.assertRaises(TribunalError) as raised:
                guesser.count_labels()
            refusals.append(raised.exception)
        self.assertEqual([type(e) for e in refusals], [TribunalError, TribunalError, TooMany])
        self.assertEqual([e.status for e in refusals], [401, 401, 429])
        self.assertEqual(refusals[0].message, "invalid or revoked API key")
        limited = refusals[2]
        assert isinstance(limited, TooMany)
        self.assertIsNotNone(limited.retry_after)
        self.assertIn(f"retry in {int(limited.retry_after or 0)} s", limited.message)
        self.assertEqual(limited.attempts, 1)  # asked to wait longer than it may: not retried


if __name__ == "__main__":
    unittest.main()
