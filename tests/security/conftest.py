def pytest_terminal_summary(terminalreporter):
    """The fuzzing figures of this session (tests/security/test_fuzz.py), if it ran."""
    from tests.security.test_fuzz import REPORT

    if not REPORT:
        return
    terminalreporter.section("schemathesis")
    for run, figures in REPORT.items():
        failures = ", ".join(f"{name} {n}" for name, n in figures["failures"].items()) or "none"
        terminalreporter.write_line(
            f"{run}: {len(figures['operations'])} operations, {figures['cases']} cases, "
            f"failures: {failures}"
        )
