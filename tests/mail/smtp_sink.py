#!/usr/bin/python3
"""An SMTP server for the tests on 127.0.0.1 (Debian python3-aiosmtpd): each message it
accepts is written to DIR/N.eml, preceded by one line "X-Envelope-To: a, b" naming the
envelope recipients. Prints the port it listens on, then serves until killed.
    smtp_sink.py DIR [PORT]      PORT 0 (the default) picks a free one"""
import os
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        # a restarted server goes on numbering after what is there
        self.count = len([f for f in os.listdir(directory) if f.endswith(".eml")])
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = os.path.join(self.directory, "%06d.eml" % self.count)
        tmp = name + ".tmp"
        with open(tmp, "wb") as f:
            f.write(("X-Envelope-To: %s\n" % ", ".join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content.replace(b"\r\n", b"\n"))
        os.rename(tmp, name)  # readers never see half a message
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    directory = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] != "0" else free_port()
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(port, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
