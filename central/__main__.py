"""`python -m central serve|seed|...`: the same commands as `expresspoint central`."""

from __future__ import annotations

import argparse
import logging
import sys

from central.cli import register


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m central")
    parser.add_argument("--log-level", default="INFO")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    register(sub)
    rest = list(sys.argv[1:] if argv is None else argv)
    lead: list[str] = []  # options of this parser come before the action
    while rest and rest[0].startswith("--log-level"):
        lead.append(rest.pop(0))
        if "=" not in lead[-1] and rest:
            lead.append(rest.pop(0))
    args = parser.parse_args([*lead, "central", *rest])
    logging.basicConfig(
        level=getattr(logging, str(args.log_level).upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    return int(func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
