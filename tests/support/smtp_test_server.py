"""A local SMTP server for paperbot's e-mail tests and benchmark, on Debian's aiosmtpd.

Each accepted message is written to FOLDER as NNNNNN.eml (the bytes as received, CRLF, dot
transparency undone) and then NNNNNN.json (peer, envelope sender and recipients); the .json is
written last, so a message whose .json exists is complete. The server can refuse chosen
recipients with 550, defer others with 451, and drop the connection when a chosen recipient is
named. With --tls-cert/--tls-key it offers STARTTLS and requires it; with --smtps it speaks TLS
from the first byte. The port it listens on is written to PORT_FILE once it accepts connections.
It stops on SIGTERM or SIGINT.

Run it with /usr/bin/python3: that is the interpreter Debian's python3-aiosmtpd is installed for.
"""

import argparse
import asyncio
import json
import os
import signal
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, args):
        self.folder = args.folder
        self.reject = set(args.reject)
        self.defer = set(args.defer)
        self.drop = set(args.drop)
        self.discard = args.discard
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.drop:
            # Gone without a reply, as a crashed or overloaded server would be.
            server.transport.abort()
            return "421 4.3.0 closing"
        if address in self.reject:
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if address in self.defer:
            return "451 4.3.0 <%s>: mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = "%06d" % self.count
        if not self.discard:
            base = os.path.join(self.folder, name)
            with open(base + ".eml", "wb") as out:
                out.write(envelope.original_content)
            details = {
                "peer": "%s:%s" % tuple(session.peer[:2]),
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
            }
            with open(base + ".json.tmp", "w") as out:
                json.dump(details, out)
            os.replace(base + ".json.tmp", base + ".json")
        return "250 OK queued as " + name


def tls_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def make_authenticator(credentials):
    user, password = credentials.encode().split(b":", 1)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user
              and auth_data.password == password)
        # handled=False: aiosmtpd then answers 535 itself (its default leaves the reply to us).
        return AuthResult(success=ok, handled=False)

    return authenticate


async def serve(args):
    loop = asyncio.get_running_loop()
    handler = Handler(args)
    options = {"hostname": "localhost", "ident": "paperbot test SMTP"}
    implicit_tls = None
    if args.tls_cert and args.smtps:
        implicit_tls = tls_context(args.tls_cert, args.tls_key)
    elif args.tls_cert:
        options["tls_context"] = tls_context(args.tls_cert, args.tls_key)
        options["require_starttls"] = True
    if args.auth:
        options["authenticator"] = make_authenticator(args.auth)
        options["auth_required"] = True

    server = await loop.create_server(lambda: SMTP(handler, **options), host="127.0.0.1",
                                      port=args.port, ssl=implicit_tls)
    port = server.sockets[0].getsockname()[1]
    with open(args.port_file + ".tmp", "w") as out:
        out.write(str(port))
    os.replace(args.port_file + ".tmp", args.port_file)

    stop = asyncio.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--reject", action="append", default=[])
    parser.add_argument("--defer", action="append", default=[])
    parser.add_argument("--drop", action="append", default=[])
    parser.add_argument("--discard", action="store_true", help="count messages, write nothing")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--smtps", action="store_true")
    parser.add_argument("--auth", help="USER:PASSWORD; AUTH becomes required (after TLS)")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
