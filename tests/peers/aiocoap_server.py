#!/usr/bin/env python3
"""A CoAP server on aiocoap (the peer), for tests/tests/coap_peer.rs.

Usage: aiocoap_server.py PORT [LIFETIME_SECONDS]

Binds UDP 127.0.0.1:PORT (aiocoap's udp6 transport only), prints
"ready PORT" on stdout once it serves, and exits by itself after
LIFETIME_SECONDS (default 60) if nobody kills it first.

Resources (all text/plain):
  /store   GET and FETCH (whose body is ignored) 2.05 with the value (4.04
           when there is none),
           PUT 2.01 when it creates the value, 2.04 when it replaces it,
           POST and PATCH 2.04 appending the payload, answering the new value,
           iPATCH 2.04 setting the value,
           DELETE 2.02.
  /kind    GET 2.05 "TYPE tkl=N": the message type and token length of the
           request as aiocoap decoded it.
  /slow    GET 2.05 "slow done" after SLOW_SECONDS, well past aiocoap's
           EMPTY_ACK_DELAY (0.1 s): a CON request gets an empty ACK first
           and the response separately.
"""

import asyncio
import sys

import aiocoap
from aiocoap import Code, Message
from aiocoap import resource

SLOW_SECONDS = 0.4
TEXT_PLAIN = 0


def text(code, payload):
    return Message(code=code, payload=payload, content_format=TEXT_PLAIN)


class Store(resource.Resource):
    def __init__(self):
        super().__init__()
        self.value = None

    async def render_get(self, request):
        if self.value is None:
            return Message(code=Code.NOT_FOUND)
        return text(Code.CONTENT, self.value)

    async def render_fetch(self, request):
        return await self.render_get(request)

    async def render_put(self, request):
        created = self.value is None
        self.value = request.payload
        return Message(code=Code.CREATED if created else Code.CHANGED)

    async def render_post(self, request):
        self.value = (self.value or b"") + request.payload
        return text(Code.CHANGED, self.value)

    async def render_patch(self, request):
        return await self.render_post(request)

    async def render_ipatch(self, request):
        self.value = request.payload
        return Message(code=Code.CHANGED)

    async def render_delete(self, request):
        self.value = None
        return Message(code=Code.DELETED)


class Kind(resource.Resource):
    async def render_get(self, request):
        seen = f"{request.mtype} tkl={len(request.token)}"
        return text(Code.CONTENT, seen.encode())


class Slow(resource.Resource):
    async def render_get(self, request):
        await asyncio.sleep(SLOW_SECONDS)
        return text(Code.CONTENT, b"slow done")


async def main(port, lifetime):
    site = resource.Site()
    site.add_resource(["store"], Store())
    site.add_resource(["kind"], Kind())
    site.add_resource(["slow"], Slow())
    await aiocoap.Context.create_server_context(
        site, bind=("127.0.0.1", port), transports=["udp6"]
    )
    print(f"ready {port}", flush=True)
    await asyncio.sleep(lifetime)


if __name__ == "__main__":
    port = int(sys.argv[1])
    lifetime = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    asyncio.run(main(port, lifetime))
