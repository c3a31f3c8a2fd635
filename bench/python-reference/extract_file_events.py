"""The Python reference of issue 19, run by bench/_python-reference.ts.

c42eventextractor's FileEventExtractor on py42, against the Code42 v1 emulator:
c42eventextractor itself is not installable here, so this is its extraction loop
written out on py42's public API (the py42 source tree comes from
SECFLOW_PY42_SRC, on PYTHONPATH; nothing of py42 is in this repository):

- an SDK from a local account (py42.sdk.from_local_account: the JWT login, the
  current user; service discovery on the first search);
- a FileEventQuery with an insertionTimestamp on-or-after filter, sorted by
  insertionTimestamp ascending, pages of 10,000;
- sdk.securitydata.search_all_file_events(query, page_token=...) in a loop,
  "" first, then each reply's nextPgToken, until there is none;
- each page's reply handed to handle_response, which touches every event (reads
  its eventId and counts it; it prints nothing);
- after each page the cursor recorded: the last event's insertion timestamp (as
  c42eventextractor parses it, to a POSIX timestamp) and its eventId, written to a
  cursor file (as code42cli's cursor store keeps it between runs).

Prints one line of JSON: events, pages, seconds (from the SDK's creation to the
last page handled), cpuSeconds (this process, the same span), peakRssMb (this
process, its whole life) and importSeconds (importing py42, outside the span).
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone

_t_import = time.perf_counter()
import py42.sdk  # noqa: E402
import py42.settings  # noqa: E402
from py42.sdk.queries.fileevents.file_event_query import FileEventQuery  # noqa: E402
from py42.sdk.queries.fileevents.filters import InsertionTimestamp  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - _t_import

PAGE_SIZE = 10000


def insertion_timestamp(event):
    """An event's insertionTimestamp as a POSIX timestamp (c42eventextractor's cursor)."""
    text = event["insertionTimestamp"]
    if "." not in text:
        text = text.replace("Z", ".0Z")
    parsed = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")
    return parsed.replace(tzinfo=timezone.utc).timestamp()


class Handlers:
    """c42eventextractor's ExtractionHandlers: handle_response, get/record_cursor_position."""

    def __init__(self, cursor_file):
        self.events = 0
        self.pages = 0
        self.last_id = None
        self._cursor_file = cursor_file

    def handle_response(self, response):
        events = response["fileEvents"]
        for event in events:
            self.last_id = event["eventId"]
            self.events += 1
        self.pages += 1

    def get_cursor_position(self):
        try:
            with open(self._cursor_file, encoding="utf-8") as f:
                return json.load(f)
        except FileNotFoundError:
            return None

    def record_cursor_position(self, cursor):
        tmp = f"{self._cursor_file}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(cursor, f)
        os.replace(tmp, self._cursor_file)


def extract(sdk, handlers, since):
    cursor = handlers.get_cursor_position()
    start = cursor["insertionTimestamp"] if cursor else since
    query = FileEventQuery.all(InsertionTimestamp.on_or_after(start))
    query.sort_key = "insertionTimestamp"
    query.sort_direction = "asc"
    query.page_size = PAGE_SIZE
    token = ""
    while True:
        response = sdk.securitydata.search_all_file_events(query, page_token=token)
        events = response["fileEvents"]
        if not events:
            break
        handlers.handle_response(response)
        last = events[-1]
        handlers.record_cursor_position({"insertionTimestamp": insertion_timestamp(last), "eventId": last["eventId"]})
        token = response["nextPgToken"]
        if not token:
            break


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the emulator's base URL")
    parser.add_argument("--since", type=float, required=True, help="insertionTimestamp on or after (POSIX seconds)")
    parser.add_argument("--username", default="bench@example.com")
    parser.add_argument("--password", default="bench")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="secflow-pyref-") as tmp:
        handlers = Handlers(os.path.join(tmp, "cursor.json"))
        wall = time.perf_counter()
        cpu = time.process_time()
        sdk = py42.sdk.from_local_account(args.url, args.username, args.password)
        extract(sdk, handlers, args.since)
        seconds = time.perf_counter() - wall
        cpu_seconds = time.process_time() - cpu
        cursor = handlers.get_cursor_position()

    print(json.dumps({
        "events": handlers.events,
        "pages": handlers.pages,
        "lastEventId": handlers.last_id,
        "cursor": cursor,
        "seconds": seconds,
        "cpuSeconds": cpu_seconds,
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "importSeconds": IMPORT_SECONDS,
        "py42": py42.settings.__version__,
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
