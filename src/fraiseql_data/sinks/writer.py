"""A COPY writer that sends on a thread, with a short queue.

psycopg's own queued writer holds up to a thousand buffers: when we generate
faster than the server ingests, that queue is where memory would go. Here a
few buffers wait at most, so generating the next block overlaps sending the
previous one while memory stays flat.
"""

from __future__ import annotations

import threading
from queue import Queue
from typing import Any

from psycopg import Cursor
from psycopg.abc import Buffer
from psycopg.copy import LibpqWriter, Writer

QUEUED_BUFFERS = 8  # each at most psycopg's buffer size (about 1 MB)


class QueuedWriter(Writer):
    def __init__(self, cursor: Cursor[Any]) -> None:
        self.inner = LibpqWriter(cursor)
        self.queue: Queue[Buffer | None] = Queue(maxsize=QUEUED_BUFFERS)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.send, name="fraiseql-data-copy", daemon=True)
        self.thread.start()

    def send(self) -> None:
        while (data := self.queue.get()) is not None:
            if self.error is not None:
                continue  # keep draining, or write() would block on a full queue forever
            try:
                self.inner.write(data)
            except BaseException as error:  # handed to the caller's thread by write()/finish()
                self.error = error

    def write(self, data: Buffer) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(data)

    def finish(self, exc: BaseException | None = None) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None and exc is None:
            raise self.error
        self.inner.finish(exc)
