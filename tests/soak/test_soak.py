"""A one-minute soak of the whole system (real processes, real faults) in the suite: every invariant must hold."""

from __future__ import annotations

import pytest

from bench.soak.faults import FAULT_KINDS
from bench.soak.run import SoakConfig, run_soak


@pytest.mark.slow
@pytest.mark.timeout(900)
async def test_short_soak_keeps_every_promise() -> None:
    report = await run_soak(SoakConfig(minutes=1.0, rate=2.0, fault_every=5.0, seed=11))
    broken = {check.name: check.violations[:5] for check in report.checks if not check.ok}
    assert broken == {}
    assert set(report.faults) == set(FAULT_KINDS)  # every kind of fault was injected at least once
    assert report.events.get("pr_opened", 0) > 0 and report.events.get("push_main", 0) > 0
    assert report.events.get("command_burst", 0) > 0
    assert report.events.get("autofix_pr_opened", 0) > 0
    assert report.events.get("impact_pr", 0) > 0  # producer and consumer repositories: impact under faults
    assert int(report.figures["deliveries sent"]) > 50
