"""The Python reference formatter of issue 19, run by bench/_python-formatter.ts.

code42cli's FileEventDictToCEFFormatter (ported there from c42eventextractor),
loaded from a code42cli source tree's `src` directory (SECFLOW_CODE42CLI_SRC;
nothing of code42cli is in this repository). Only its two modules are loaded,
code42cli/maps.py and code42cli/logger/formatters.py: the packages' __init__ files
import the CLI (click, py42), which the formatter does not need.

Reads a JSON array of file events (the bench's), builds one logging.LogRecord per
event as the CLI's logger does (outside the timing), then times formatter.format()
over all of them, the best of --passes passes. Prints one line of JSON: events,
seconds (the best pass), the first --show lines it formatted, and the Python version.
"""

import argparse
import importlib.util
import json
import logging
import os
import platform
import sys
import time
import types


def load_formatter_module(src):
    """code42cli.logger.formatters without running code42cli's package __init__ files."""
    root = os.path.join(src, "code42cli")
    if not os.path.isfile(os.path.join(root, "logger", "formatters.py")):
        raise SystemExit(f"{src} holds no code42cli/logger/formatters.py")
    for name, path in (("code42cli", root), ("code42cli.logger", os.path.join(root, "logger"))):
        package = types.ModuleType(name)
        package.__path__ = [path]
        sys.modules[name] = package
    for name, path in (("code42cli.maps", os.path.join(root, "maps.py")), ("code42cli.logger.formatters", os.path.join(root, "logger", "formatters.py"))):
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules["code42cli.logger.formatters"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", required=True, help="a JSON file holding an array of file events")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--show", type=int, default=4)
    args = parser.parse_args()
    src = os.environ.get("SECFLOW_CODE42CLI_SRC")
    if not src:
        raise SystemExit("SECFLOW_CODE42CLI_SRC is not set")
    formatter = load_formatter_module(src).FileEventDictToCEFFormatter()
    with open(args.events, encoding="utf-8") as f:
        events = json.load(f)
    records = [logging.LogRecord("code42cli", logging.INFO, __file__, 0, event, None, None) for event in events]
    best = float("inf")
    for _ in range(args.passes):
        started = time.perf_counter()
        for record in records:
            formatter.format(record)
        best = min(best, time.perf_counter() - started)
    shown = [formatter.format(record) for record in records[: args.show]]
    print(json.dumps({"events": len(records), "seconds": best, "lines": shown, "python": platform.python_version()}))


if __name__ == "__main__":
    main()
