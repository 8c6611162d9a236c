"""Webhook signatures: the same verdicts as verifyWebhook (libs/contracts/src/webhooks.ts), run with no server."""

from __future__ import annotations

import unittest
import helpers  # noqa: F401  (puts the package on the path)

from tribunal_client import SIGNATURE_HEADER, sign_webhook, verify_webhook, verify_webhook_request
from tribunal_client.webhooks import parse_signature_header

SECRET = "whsec_test"
BODY = '{"id":"d1","event":"label.created","label":{"seq":"7","answer":2}}'
NOW = 1_700_000_000


class SignatureTest(unittest.TestCase):
    def test_signs_as_the_server_does(self) -> None:
        # Printed by the server's signWebhook('whsec_test', ..., t) (libs/contracts/src/webhooks.ts).
        self.assertEqual(
            sign_webhook("whsec_test", '{"x":1}', 1700000000),
            "t=1700000000,v1=808d84eb394c8f099c0aecdf6c762197e3251fccecf4dd6fad647063de565e81",
        )
        for bad in (1700000000.5, -1, True):
            with self.subTest(timestamp=bad), self.assertRaises(ValueError):
                sign_webhook("whsec_test", '{"x":1}', bad)  # type: ignore[arg-type]

    def test_accepts_a_genuine_signature_as_text_or_bytes(self) -> None:
        header = sign_webhook(SECRET, BODY, NOW)
        self.assertTrue(verify_webhook(SECRET, header, BODY, now=NOW))
        self.assertTrue(verify_webhook(SECRET.encode(), header, BODY.encode(), now=NOW + 10))
        accented = '{"name":"café ✓"}'
        self.assertTrue(verify_webhook(SECRET, sign_webhook(SECRET, accented, NOW), accented.encode("utf-8"), now=NOW))

    def test_refuses_a_tampered_body_another_secret_or_signature(self) -> None:
        header = sign_webhook(SECRET, BODY, NOW)
        self.assertFalse(verify_webhook(SECRET, header, BODY.replace('"answer":2', '"answer":3'), now=NOW))
        self.assertFalse(verify_webhook(SECRET, header, BODY + " ", now=NOW))
        self.assertFalse(verify_webhook("whsec_someone-else", header, BODY, now=NOW))
        mac = header.split("v1=")[1]
        flipped = mac[:-1] + ("0" if mac[-1] != "0" else "1")
        self.assertFalse(verify_webhook(SECRET, f"t={NOW},v1={flipped}", BODY, now=NOW))
        # The timestamp is signed too: moving it breaks the signature.
        self.assertFalse(verify_webhook(SECRET, f"t={NOW + 1},v1={mac}", BODY, now=NOW))

    def test_refuses_timestamps_outside_the_tolerance_either_way(self) -> None:
        header = sign_webhook(SECRET, BODY, NOW)
        self.assertTrue(verify_webhook(SECRET, header, BODY, now=NOW + 300))
        self.assertTrue(verify_webhook(SECRET, header, BODY, now=NOW - 300))
        self.assertFalse(verify_webhook(SECRET, header, BODY, now=NOW + 301))
        self.assertFalse(verify_webhook(SECRET, header, BODY, now=NOW - 301))
        self.assertTrue(verify_webhook(SECRET, header, BODY, tolerance_seconds=3600, now=NOW + 3000))
        self.assertFalse(verify_webhook(SECRET, header, BODY, tolerance_seconds=10, now=NOW + 11))

    def test_uses_the_clock_by_default(self) -> None:
        import time

        fresh = int(time.time())
        self.assertTrue(verify_webhook(SECRET, sign_webhook(SECRET, BODY, fresh), BODY))
        self.assertFalse(verify_webhook(SECRET, sign_webhook(SECRET, BODY, fresh - 3600), BODY))

    def test_refuses_missing_or_malformed_headers(self) -> None:
        mac = sign_webhook(SECRET, BODY, NOW).split("v1=")[1]
        for header in [
            None,
            "",
            "garbage",
            f"v1={mac}",
            f"t={NOW}",
            f"t={NOW},v1=",
            f"t=soon,v1={mac}",
            f"t={NOW},v1={mac[:-1]}",
            f"t={NOW},v1={mac}zz",  # hex then garbage
            f"t={NOW},v1={mac}=anything",
            f"t=1,t={NOW},v1={mac}",  # a field repeated
            f"t={NOW},v1=00,v1={mac}",
            f"t=0x{NOW:x},v1={mac}",  # the time other than in whole decimal seconds
            f"t={NOW}.0,v1={mac}",
            f"t=+{NOW},v1={mac}",
            f"t={NOW}e0,v1={mac}",
            f"t=,v1={mac}",
            f"t={NOW}\n,v1={mac}",
            f"t={NOW},,v1={mac}",
        ]:
            with self.subTest(header=header):
                self.assertFalse(verify_webhook(SECRET, header, BODY, now=NOW))

    def test_reads_the_header_as_the_server_does(self) -> None:
        mac = sign_webhook(SECRET, BODY, NOW).split("v1=")[1]
        # Each of these is accepted by verifyWebhook as well (test/e2e/python-client.test.ts compares a table of them).
        for header in [
            f"v1={mac},t={NOW}",
            f"t={NOW}, v1={mac}",
            f" t={NOW}\t,v1={mac} ",
            f"t={NOW},v1={mac.upper()}",
            f"t={NOW},v0=old,v1={mac}",  # other names are ignored
        ]:
            with self.subTest(header=header):
                self.assertTrue(verify_webhook(SECRET, header, BODY, now=NOW))
        self.assertEqual(parse_signature_header(f"t={NOW},v1={mac}"), (NOW, bytes.fromhex(mac)))

    def test_finds_the_header_in_any_case(self) -> None:
        header = sign_webhook(SECRET, BODY, NOW)
        self.assertTrue(verify_webhook_request(SECRET, {SIGNATURE_HEADER: header}, BODY, now=NOW))
        self.assertTrue(verify_webhook_request(SECRET, {"Tribunal-Signature": header}, BODY, now=NOW))
        self.assertFalse(verify_webhook_request(SECRET, {"Tribunal-Signature": header}, BODY + "x", now=NOW))
        self.assertFalse(verify_webhook_request(SECRET, {}, BODY, now=NOW))


if __name__ == "__main__":
    unittest.main()
