"""Webhook deliveries the server really made, verified by the client, and its verdicts compared with verifyWebhook's.

Run by test/e2e/python-client.test.ts with TRIBUNAL_WEBHOOKS naming a JSON file: the webhook's secret,
the deliveries a receiver got (headers and body as received), and a table of signatures with the
verdict the server's own verifyWebhook gave each.
"""

from __future__ import annotations

import json
import os
import re
import time
import unittest
from typing import Any, Dict

from tribunal_client import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, WebhookPayload, verify_webhook, verify_webhook_request


def cases() -> Dict[str, Any]:
    path = os.environ.get("TRIBUNAL_WEBHOOKS")
    if not path:
        raise RuntimeError("TRIBUNAL_WEBHOOKS is not set: these tests run from test/e2e/python-client.test.ts")
    with open(path, encoding="utf-8") as file:
        loaded: Dict[str, Any] = json.load(file)
    return loaded


class DeliveriesTest(unittest.TestCase):
    def setUp(self) -> None:
        loaded = cases()
        self.secret: str = loaded["secret"]
        self.deliveries = loaded["deliveries"]
        self.assertGreater(len(self.deliveries), 0)

    def test_genuine_deliveries_are_accepted(self) -> None:
        for delivery in self.deliveries:
            headers, body = delivery["headers"], delivery["body"]
            self.assertTrue(verify_webhook_request(self.secret, headers, body))
            self.assertTrue(verify_webhook_request(self.secret, headers, body.encode("utf-8")))
            self.assertTrue(verify_webhook_request(self.secret, {k.title(): v for k, v in headers.items()}, body))
            payload: WebhookPayload = json.loads(body)
            self.assertEqual(payload["id"], headers[DELIVERY_HEADER])
            self.assertEqual(payload["event"], headers[EVENT_HEADER])
            self.assertEqual(payload["label"]["schemaVersion"], 1)

    def test_tampered_deliveries_are_refused(self) -> None:
        for delivery in self.deliveries:
            headers, body = delivery["headers"], delivery["body"]
            answer = json.loads(body)["label"]["answer"]
            tampered = body.replace(f'"answer":{answer}', f'"answer":{answer + 1}', 1)
            self.assertNotEqual(tampered, body)
            self.assertFalse(verify_webhook_request(self.secret, headers, tampered))
            self.assertFalse(verify_webhook_request("whsec_someone-else", headers, body))
            signature = headers[SIGNATURE_HEADER]
            t = int(re.search(r"t=(\d+)", signature).group(1))  # type: ignore[union-attr]
            moved = signature.replace(f"t={t}", f"t={t + 1}")
            self.assertFalse(verify_webhook(self.secret, moved, body))
            # The same delivery replayed later than the tolerance is refused.
            self.assertTrue(verify_webhook(self.secret, signature, body, now=t + 300))
            self.assertFalse(verify_webhook(self.secret, signature, body, now=t + 301))
            self.assertFalse(verify_webhook_request(self.secret, {}, body))
            self.assertLess(abs(time.time() - t), 300)


class SameVerdictsTest(unittest.TestCase):
    def test_every_signature_is_judged_as_verify_webhook_judges_it(self) -> None:
        table = cases()["table"]
        self.assertEqual({case["expected"] for case in table}, {True, False})
        for case in table:
            with self.subTest(case=case["name"]):
                verdict = verify_webhook(case["secret"], case["header"], case["body"], case["tolerance"], case["now"])
                self.assertEqual(verdict, case["expected"], case)


if __name__ == "__main__":
    unittest.main()
