"""Webhook signatures: the same verdicts as verifyWebhook (libs/contracts/src/webhooks.ts), run with no server."""

from __future__ import annotations

import math
import unittest
from typing import List, Optional

import helpers  # noqa: F401  (puts the package on the path)

from tribunal_client import SIGNATURE_HEADER, sign_webhook, verify_webhook, verify_webhook_request
from tribunal_client.webhooks import js_number, js_number_to_string

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
        self.assertEqual(
            sign_webhook("whsec_test", '{"name":"café ✓"}', 1700000000.5),
            "t=1700000000.5,v1=4ec1e8f7ed0dbd3cb9fcc9643493203951c144e1fe4ec667a8a9f42605528395",
        )

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
            f"t={NOW}, v1={mac}",
            f"t={NOW},v1={mac[:-1]}",
        ]:
            with self.subTest(header=header):
                self.assertFalse(verify_webhook(SECRET, header, BODY, now=NOW))

    def test_reads_the_header_as_the_server_does(self) -> None:
        mac = sign_webhook(SECRET, BODY, NOW).split("v1=")[1]
        # Each of these is accepted by verifyWebhook as well (test/e2e/python-client.test.ts compares a table of them).
        for header in [
            f"v1={mac},t={NOW}",
            f"t=1,t={NOW},v1=00,v1={mac}",  # the last value of a field wins
            f"t={NOW},v1={mac.upper()}",
            f"t={NOW},v1={mac}zz",  # Node's hex stops at the first pair that is not hex
            f"t={NOW},v1={mac}=anything",
            f"t=0x{NOW:x},v1={mac}",  # Number("0x...") is the same time, signed in decimal
            f"t={NOW}.0,v1={mac}",
            f"t= {NOW}\n,v1={mac}",
            f"t={NOW},v0=old,v1={mac}",
        ]:
            with self.subTest(header=header):
                self.assertTrue(verify_webhook(SECRET, header, BODY, now=NOW))

    def test_finds_the_header_in_any_case(self) -> None:
        header = sign_webhook(SECRET, BODY, NOW)
        self.assertTrue(verify_webhook_request(SECRET, {SIGNATURE_HEADER: header}, BODY, now=NOW))
        self.assertTrue(verify_webhook_request(SECRET, {"Tribunal-Signature": header}, BODY, now=NOW))
        self.assertFalse(verify_webhook_request(SECRET, {"Tribunal-Signature": header}, BODY + "x", now=NOW))
        self.assertFalse(verify_webhook_request(SECRET, {}, BODY, now=NOW))


class JavaScriptNumbersTest(unittest.TestCase):
    def test_reads_strings_as_number_does(self) -> None:
        cases = {"": 0.0, " 12 ": 12.0, "0x10": 16.0, "0b11": 3.0, "0o7": 7.0, "1e3": 1000.0, ".5": 0.5, "5.": 5.0, "-0": -0.0}
        for text, value in cases.items():
            with self.subTest(text=text):
                self.assertEqual(js_number(text), value)
        self.assertEqual(js_number("Infinity"), math.inf)
        nothing: List[Optional[str]] = ["+0x10", "1_0", "1e", "inf", "nan", "12abc", None]
        for word in nothing:
            with self.subTest(text=word):
                self.assertTrue(math.isnan(js_number(word)))

    def test_writes_numbers_as_string_does(self) -> None:
        cases = {1700000000: "1700000000", 1700000000.5: "1700000000.5", 123.0: "123", 1e21: "1e+21", 1e20: "100000000000000000000"}
        cases.update({1.5e-7: "1.5e-7", 1e-6: "0.000001", 0.1: "0.1", -2.5: "-2.5", 0.0: "0"})
        self.assertEqual(js_number_to_string(-0.0), "0")
        for value, text in cases.items():
            with self.subTest(value=value):
                self.assertEqual(js_number_to_string(value), text)


if __name__ == "__main__":
    unittest.main()
