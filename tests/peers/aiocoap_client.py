#!/usr/bin/env python3
"""CoAP requests sent with aiocoap (the peer), for tests/tests/coap_peer.rs.

Usage: aiocoap_client.py [--ack-timeout SECONDS] BASE_URI STEP...

Each STEP is "METHOD,TYPE,PATH,PAYLOAD" (TYPE is CON or NON, PAYLOAD may be
empty), sent one after the other to BASE_URI + "/" + PATH over aiocoap's
udp6 transport. For each step one line goes to stdout:

  RESULT <step> <code, e.g. 2.05> <message type of the response> <payload in hex, or ->
  ERROR <step> <what went wrong>

--ack-timeout sets aiocoap's ACK_TIMEOUT for CON requests (2 s by
default), so that a retransmission comes soon. Every request is bounded by
STEP_TIMEOUT seconds. The exit status is 0 when every step got a response
(whatever its code), 1 otherwise.
"""

import argparse
import asyncio
import sys

import aiocoap
from aiocoap import Code, Message

STEP_TIMEOUT = 10.0


def tuning(kind, ack_timeout):
    if kind == "CON":
        if ack_timeout is None:
            return aiocoap.Reliable()
        tuned = type("Tuned", (aiocoap.Reliable,), {"ACK_TIMEOUT": ack_timeout})
        return tuned()
    if kind == "NON":
        return aiocoap.Unreliable()
    raise ValueError(f"message type {kind!r}")


async def main(base, steps, ack_timeout):
    ctx = await aiocoap.Context.create_client_context(transports=["udp6"])
    failed = False
    try:
        for i, step in enumerate(steps):
            method, kind, path, payload = step.split(",", 3)
            request = Message(
                code=getattr(Code, method),
                uri=f"{base}/{path}",
                payload=payload.encode(),
                transport_tuning=tuning(kind, ack_timeout),
            )
            try:
                response = await asyncio.wait_for(
                    ctx.request(request).response, STEP_TIMEOUT
                )
            except Exception as e:  # reported, and the exit status says so
                print(f"ERROR {i} {type(e).__name__}: {e}", flush=True)
                failed = True
                continue
            code = response.code.dotted
            body = response.payload.hex() or "-"
            print(f"RESULT {i} {code} {response.mtype} {body}", flush=True)
    finally:
        await ctx.shutdown()
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--ack-timeout", type=float)
    parser.add_argument("base")
    parser.add_argument("steps", nargs="*")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.base, args.steps, args.ack_timeout)))
