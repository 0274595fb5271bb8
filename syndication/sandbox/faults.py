"""Fault injection for the sandbox: on demand (a planned fault on a path) or at random (chaos mode).

A fault says what goes wrong with one call:

- ``error``: the platform refuses the call with ``code`` (nothing happens on the platform side);
- ``http_500``: a proxy or the platform answers HTTP 500 (nothing happens);
  with a ``delay``, both answer only after it (a client that times out first cannot know nothing happened);
- ``expire_token``: the caller's token expires just before the call (WeChat 42001, Weibo 21327);
- ``slow_before``: the answer is delayed by ``delay`` seconds before the platform acts;
- ``slow_after``: the platform acts, then waits ``delay`` seconds before answering (the client times out);
- ``drop_after``: the platform acts, then the connection is dropped without an answer;
- ``review_fail``: (freepublish/submit) the job is accepted but ends with ``publish_status`` ``code`` (2, 3, 4);
- ``slow_success``: (Weibo share) the post is created but only visible after ``delay`` seconds; answer 20032;
- ``duplicate_push`` / ``drop_push``: (PUBLISHJOBFINISH) the push is sent twice / not at all.
"""

import random
import threading
from dataclasses import dataclass, field

KINDS = {
    "error",
    "http_500",
    "expire_token",
    "slow_before",
    "slow_after",
    "drop_after",
    "review_fail",
    "slow_success",
    "duplicate_push",
    "drop_push",
}


@dataclass
class Fault:
    path: str
    kind: str
    code: int | None = None
    delay: float = 0.0
    times: int = 1  # how many calls it hits; 0 means every matching call
    skip: int = 0  # let this many matching calls through first
    hits: int = field(default=0, compare=False)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {sorted(KINDS)}")

    def as_dict(self):
        return {
            "path": self.path,
            "kind": self.kind,
            "code": self.code,
            "delay": self.delay,
            "times": self.times,
            "skip": self.skip,
            "hits": self.hits,
        }


# What chaos mode may do to each path: faults every client must survive without a duplicate.
CHAOS = {
    "/cgi-bin/stable_token": [("error", -1), ("http_500", None), ("drop_after", None)],
    "/cgi-bin/media/uploadimg": [
        ("error", -1),
        ("expire_token", None),
        ("drop_after", None),
        ("slow_after", None),
    ],
    "/cgi-bin/material/add_material": [
        ("error", -1),
        ("error", 45011),
        ("expire_token", None),
        ("drop_after", None),
    ],
    "/cgi-bin/draft/add": [
        ("error", -1),
        ("http_500", None),
        ("expire_token", None),
        ("drop_after", None),
        ("slow_after", None),
    ],
    "/cgi-bin/freepublish/submit": [
        ("error", -1),
        ("error", 45011),
        ("expire_token", None),
        ("drop_after", None),
        ("slow_after", None),
    ],
    "/cgi-bin/freepublish/get": [("error", -1), ("http_500", None), ("expire_token", None)],
    "/cgi-bin/freepublish/batchget": [("error", -1)],
    "/cgi-bin/draft/get": [("error", -1)],
    "/2/statuses/share.json": [
        ("error", 10001),
        ("error", 10023),
        ("http_500", None),
        ("drop_after", None),
        ("slow_after", None),
        ("slow_success", None),
    ],
    "/2/statuses/user_timeline.json": [("error", 10001), ("http_500", None)],
}


class FaultPlan:
    def __init__(self):
        self._lock = threading.Lock()
        self.planned = []
        self.chaos_rate = 0.0
        self.chaos_delay = 0.0
        self._random = random.Random()
        self.log = []  # (path, kind, code) of every fault that fired

    def add(self, path, kind, code=None, delay=0.0, times=1, skip=0):
        fault = Fault(path=path, kind=kind, code=code, delay=float(delay), times=int(times), skip=int(skip))
        with self._lock:
            self.planned.append(fault)
        return fault

    def clear(self):
        with self._lock:
            self.planned.clear()
            self.chaos_rate = 0.0

    def chaos(self, rate, seed=None, delay=0.0):
        """Random faults on ``rate`` of the calls to the paths in ``CHAOS``; ``delay`` for the slow ones."""
        with self._lock:
            self.chaos_rate = float(rate)
            self.chaos_delay = float(delay)
            self._random = random.Random(seed)

    def take(self, path):
        """The fault for this call of ``path``, if any (planned faults first)."""
        with self._lock:
            for fault in self.planned:
                if fault.path != path:
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                fault.hits += 1
                if fault.times and fault.hits >= fault.times:
                    self.planned.remove(fault)
                self.log.append((path, fault.kind, fault.code))
                return fault
            options = CHAOS.get(path)
            if options and self.chaos_rate and self._random.random() < self.chaos_rate:
                kind, code = self._random.choice(options)
                self.log.append((path, kind, code))
                slow = kind in ("slow_before", "slow_after", "slow_success")
                return Fault(path=path, kind=kind, code=code, delay=self.chaos_delay if slow else 0.0)
        return None

    def as_list(self):
        with self._lock:
            return [f.as_dict() for f in self.planned]
