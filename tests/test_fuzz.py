"""Structured fuzzing over every command, a small sample (benchmarks/fuzz_commands.py runs
>= 10,000): malformed feed lines, sidecars, descriptors and registries never reach
"internal error", every exit is 0, 1 or 2 as the contract says (never 0 for an input known
to be bad), and the user's files planted beside and inside every folder the commands write
are all still there, unchanged."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import COMMANDS, cases, clean_package, fresh, run_case

EXAMPLES = {"parse": 40, "validate": 30, "build": 30, "release": 25, "query": 25, "download": 20, "cache": 15,
            "load": 25, "diff": 20, "export": 20, "harvest": 15}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    clean_package(folder)
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_malformed_inputs_get_findings_or_usage_errors_and_user_files_survive(base, command):
    work = base / f"work-{command}"

    @settings(max_examples=EXAMPLES[command], deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def check(data):
        fresh(work)
        case = data.draw(cases(work, base, command))
        assert run_case(case) == []

    check()
