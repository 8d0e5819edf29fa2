import asyncio
import time

from bench.load import Phase, fixed_rate


async def test_requests_leave_at_the_fixed_rate_and_every_outcome_is_counted() -> None:
    async def send(number: int) -> str:
        if number % 5 == 0:
            raise TimeoutError
        return "ok" if number % 2 else "503"

    began = time.perf_counter()
    phase = await fixed_rate(Phase("p", "ok"), send, range(1, 21), rate=200, max_in_flight=50)
    assert time.perf_counter() - began >= 19 / 200
    assert phase.outcomes == {"ok": 8, "503": 8, "TimeoutError": 4}
    assert len(phase.latencies) == phase.ok == 8
    assert phase.errors() == "503: 8, TimeoutError: 4"
    assert 0 < phase.throughput < 200


async def test_in_flight_requests_never_exceed_the_cap_and_phases_accumulate() -> None:
    in_flight = peak = 0

    async def send(number: int) -> str:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        return "ok"

    phase = Phase("p", "ok")
    await fixed_rate(phase, send, range(10), rate=1000, max_in_flight=3)
    first_elapsed = phase.elapsed
    await fixed_rate(phase, send, range(10, 15), rate=1000, max_in_flight=3)
    assert peak == 3
    assert phase.ok == 15 and phase.elapsed > first_elapsed
    assert max(phase.lateness) > 0  # the cap held the generator back, and it says so
