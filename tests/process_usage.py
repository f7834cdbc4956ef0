"""This process's open file descriptors and resident memory (Linux ``/proc``), for the load
test and bench/load_openai.py."""

from __future__ import annotations

import os


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")
