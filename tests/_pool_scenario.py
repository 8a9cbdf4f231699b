"""A small labour-inspection draw with a local inspector declaring an interest in six of the
drawn enterprises: the scenario of the pool-dispatch tests, on the command line and off it."""

from __future__ import annotations

from randcheck.demo import synthetic
from randcheck.domain import Conflict, ConflictGround, Line
from randcheck.profiles import TIANJIN_HRSS
from randcheck.sampling import DrawRecord, Seed, build_frame, commit, draw

PLAN = synthetic.demo_plan(2027)
ENTS = list(synthetic.enterprises(600, seed="cli-pool"))
STAFF = [i for i in synthetic.inspectors(120, seed="cli") if Line.LABOUR_INSPECTION in i.lines]


def drawn_with_conflicts() -> tuple[DrawRecord, list[Conflict]]:
    """The draw of :data:`ENTS` under :data:`PLAN`, and the conflicts of the district's first
    inspector with the first six drawn enterprises of their district."""
    frame = build_frame(ENTS, PLAN, TIANJIN_HRSS)
    drawn = draw(frame, commit(frame), Seed(value="03 17 22", source="test lottery"))
    local = {i.district: i for i in STAFF}
    conflicts = [
        Conflict(inspector=local[e.district].key, enterprise=e.uscc, ground=ConflictGround.RELATIVE)
        for e in ENTS
        if e.uscc in drawn.selected_ids()[:6] and e.district in local
    ]
    return drawn, conflicts
