"""Sample data and a simulated year, for the demo, the benchmarks and tests.

* :mod:`randcheck.demo.synthetic` — deterministic, SHA-256-derived Tianjin-like directories;
* :mod:`randcheck.demo.simulation` — a whole lawful year drawn, dispatched and recorded;
* :mod:`randcheck.demo.planting` — one violation of each kind a record can carry, planted in a
  simulated year.

No module of the library's core imports this package: the rules, the draw and the checks never
depend on sample data.
"""

from __future__ import annotations

__all__: list[str] = []
