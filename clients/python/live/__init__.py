"""Tests of the client against a running Tribunal, started and driven by test/e2e/python-client.test.ts."""
