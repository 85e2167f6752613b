"""gunicorn's sync worker, stopping without losing a connection (issue 13, part 3).

On SIGTERM gunicorn's own worker finishes the request it is serving and exits. The connections
that the kernel had already accepted for it (the listening socket's queue: their requests sent,
waiting for a worker) are reset when the last worker closes the socket. nginx tries the next
instance again for a GET, but not for a POST, which was sent: that visitor gets a 502.

This worker, once told to stop while the whole server stops (gunicorn's master has already closed
its copy of the listening socket; a worker replaced on HUP or after ``max_requests`` exits as
gunicorn's does, since the socket lives on for the others):
1. closes the door: a socket filter that drops every packet is attached to the listening socket,
   so a new connection's first packet (SYN) goes unanswered. nginx gives up on it after its
   ``proxy_connect_timeout`` (0.5 s, deploy/nginx/passerelle.conf), or is refused when it sends it
   again once the socket is closed, and goes to the next instance; nothing had been sent, so a POST
   goes too. (A connection's own packets are not filtered: it is detached from each one taken.)
2. serves every connection already in the queue, until none is left and none has arrived for a
   moment (a handshake under way when the filter was attached), within gunicorn's
   ``graceful_timeout``;
3. exits. The socket closes with the last worker.

Linux only (SO_ATTACH_FILTER, /proc); elsewhere the worker exits as gunicorn's does.
gunicorn.conf.py sets it as ``worker_class``.
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import select
import socket
import time

from gunicorn import util
from gunicorn.workers.sync import SyncWorker

SO_ATTACH_FILTER, SO_DETACH_FILTER = 26, 27  # linux/socket.h
BPF_RET_K = 0x06  # BPF_RET | BPF_K: "return k" (k = 0: keep none of the packet, i.e. drop it)
QUIET_SECONDS = 0.05  # the queue empty this long: every connection that got in has been served


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_SockFilter))]


def refuse_new_connections(listener: socket.socket) -> bool:
    """Attach the drop-everything filter to ``listener``; False where the system has none."""
    program = (_SockFilter * 1)(_SockFilter(BPF_RET_K, 0, 0, 0))
    fprog = _SockFprog(1, program)
    try:
        listener.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, bytes(fprog))
    except OSError:
        return False
    return True


def held_by(pid: int, listener: socket.socket) -> bool:
    """Does process ``pid`` hold ``listener`` open? (True when /proc cannot tell: the safe answer.)"""
    wanted = f"socket:[{os.fstat(listener.fileno()).st_ino}]"
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return True
    for name in names:
        try:
            if os.readlink(f"/proc/{pid}/fd/{name}") == wanted:
                return True
        except OSError:
            continue
    return False


class DrainingSyncWorker(SyncWorker):
    def run(self) -> None:
        super().run()  # until SIGTERM (or SIGINT/QUIT, which exit at once and never get here)
        listeners = list(self.sockets)
        if listeners and not any(held_by(self.ppid, listener) for listener in listeners):
            self.drain(listeners)

    def drain(self, listeners: list) -> None:
        for listener in listeners:
            if not refuse_new_connections(listener):
                return
            listener.setblocking(False)
        deadline = time.monotonic() + max(1.0, self.cfg.graceful_timeout - 2)
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            self.notify()
            served = False
            for listener in listeners:
                served = self._serve_one(listener) or served
            if served:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_SECONDS:
                return
            else:
                select.select(listeners, [], [], 0.02)

    def _serve_one(self, listener: socket.socket) -> bool:
        try:
            client, address = listener.accept()
        except OSError as error:
            if error.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.ECONNABORTED):
                return False
            raise
        # A connection made while the filter was on has it too (a socket inherits its listener's).
        with contextlib.suppress(OSError):
            client.setsockopt(socket.SOL_SOCKET, SO_DETACH_FILTER, 0)
        client.setblocking(True)
        util.close_on_exec(client)
        self.handle(listener, client, address)
        return True
