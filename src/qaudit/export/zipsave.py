"""Saving the workbook: openpyxl's own writer, with each large sheet deflated on every CPU.

openpyxl saves a write-only workbook by copying each sheet's streamed XML into the zip,
deflated on one CPU: for a large export, seconds at the end in which the other CPUs wait.
Here a sheet above ``PARALLEL_FROM`` bytes is cut into ``CHUNK`` pieces deflated at once in
threads (zlib lets go of the GIL while it works), each ended by a sync flush at a byte
boundary, so the pieces joined are one valid deflate stream (as pigz makes them), then an
empty last block. zipfile itself still writes the headers, the CRC, the sizes and ZIP64:
only its compressor object is swapped, for this one entry. Same level (zlib's default, as
openpyxl), a file within a fraction of a percent of the same size. Where zipfile's writer
is not the one this was written for, the sheet is deflated as openpyxl does it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl.writer.excel import ExcelWriter

from qaudit.batch import worker_count

CHUNK = 1 << 20  # bytes deflated as one piece
PARALLEL_FROM = 4 * CHUNK  # smaller sheets are deflated in one piece, as openpyxl does
AHEAD = 2  # pieces in flight per thread


def _piece(data: bytes, level: int) -> bytes:
    """One piece of a deflate stream: fresh, ended at a byte boundary, not the last block."""
    deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
    return deflate.compress(data) + deflate.flush(zlib.Z_SYNC_FLUSH)


class _ParallelDeflate:
    """A stand-in for zipfile's compressor: ``compress`` is given the entry's pieces in
    order and returns the deflated bytes of those done; ``flush`` the rest and the end."""

    def __init__(self, pool: ThreadPoolExecutor, threads: int, level: int) -> None:
        self.pool, self.level, self.ahead = pool, level, threads * AHEAD
        self.pending: deque[Future[bytes]] = deque()

    def compress(self, data: bytes) -> bytes:
        self.pending.append(self.pool.submit(_piece, bytes(data), self.level))
        done = []
        while len(self.pending) > self.ahead:
            done.append(self.pending.popleft().result())
        return b"".join(done)

    def flush(self) -> bytes:
        done = [future.result() for future in self.pending]
        self.pending.clear()
        done.append(zlib.compressobj(self.level, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))
        return b"".join(done)


class _Archive(ZipFile):
    """openpyxl's archive, its sheets (written from their temporary files) deflated in
    parallel."""

    pool: ThreadPoolExecutor | None = None
    threads = 1

    def write(self, filename: Any, arcname: Any = None, compress_type: int | None = None,
              compresslevel: int | None = None) -> None:
        size = os.path.getsize(filename)
        if self.pool is None or size < PARALLEL_FROM or compress_type is not None \
                or compresslevel is not None:
            super().write(filename, arcname, compress_type, compresslevel)
            return
        zinfo = ZipInfo.from_file(filename, arcname,
                                  strict_timestamps=getattr(self, "_strict_timestamps", True))
        zinfo.compress_type = self.compression
        level = self.compresslevel if self.compresslevel is not None \
            else zlib.Z_DEFAULT_COMPRESSION
        zinfo._compresslevel = self.compresslevel  # type: ignore[attr-defined]
        with open(filename, "rb") as src, self.open(zinfo, "w") as dest:
            if not hasattr(dest, "_compressor"):  # not the zipfile this was written for
                shutil.copyfileobj(src, dest, CHUNK)
                return
            dest._compressor = _ParallelDeflate(self.pool, self.threads, level)
            while piece := src.read(CHUNK):
                dest.write(piece)


def saver(wb: Any, jobs: int = 0) -> Callable[[IO[bytes]], None]:
    """``fill`` for ``atomic_write_with``: the workbook saved as ``wb.save`` saves it."""
    def save(handle: IO[bytes]) -> None:
        threads = worker_count(jobs)  # one deflating thread per CPU this process may use
        archive = _Archive(handle, "w", ZIP_DEFLATED, allowZip64=True)
        wb.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
        if threads > 1:
            with ThreadPoolExecutor(threads, thread_name_prefix="qaudit-deflate") as pool:
                archive.pool, archive.threads = pool, threads
                ExcelWriter(wb, archive).save()
        else:
            ExcelWriter(wb, archive).save()
    return save
