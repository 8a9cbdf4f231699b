"""Test-suite settings: Hypothesis profiles.

``HYPOTHESIS_PROFILE`` chooses one (default ``ci``):

* ``ci`` — derandomised: every run tries the same examples, so a failure in CI is reproduced
  by running the same command again;
* ``explore`` — random examples, many more of them, to look for new failures locally;
* ``quick`` — few examples, for a fast local loop.

Tests that run the whole demo year or large files are marked ``slow``; ``-m "not slow"``
leaves them out of a local run (CI runs everything).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", max_examples=500, deadline=None)
settings.register_profile("quick", max_examples=10, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
