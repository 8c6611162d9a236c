"""The pipeline the end-to-end test runs (the README's, with a crash it can be told to have).

Pulls labels in batches into an NDJSON file, its place kept in a cursor file, from TRIBUNAL_URL with
the key TRIBUNAL_KEY. ``--crash-in-batch N`` dies on receiving batch N, before writing any of it.
"""

from __future__ import annotations

import argparse
import json
import os

from tribunal_client import Tribunal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cursor", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--crash-in-batch", type=int, default=0)
    args = parser.parse_args()

    tribunal = Tribunal.from_env()
    with open(args.out, "a", encoding="utf-8") as out:
        for number, batch in enumerate(tribunal.label_batches(args.cursor, size=args.size), start=1):
            if number == args.crash_in_batch:
                raise RuntimeError(f"simulated crash in batch {number}")
            out.writelines(json.dumps(label, ensure_ascii=False) + "\n" for label in batch)
            out.flush()
            os.fsync(out.fileno())
            print(f"batch {number}: labels {batch[0]['seq']} to {batch[-1]['seq']}", flush=True)


if __name__ == "__main__":
    main()
