"""The CI workflow is valid YAML and runs the same nox sessions the noxfile defines."""

from __future__ import annotations

import ast
import re

import yaml

from tests.helpers import REPO

WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"


def _sessions() -> set[str]:
    tree = ast.parse((REPO / "noxfile.py").read_text())
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any("session" in ast.unparse(d) for d in node.decorator_list)
    }


def test_workflow_is_yaml_and_calls_only_real_sessions() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert set(workflow[True]) == {"pull_request", "push"}  # YAML 1.1 reads 'on' as true
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    called = {name for run in runs for name in re.findall(r"nox -s ([\w ]+?)(?: --|$)", run)}
    sessions = {word for names in called for word in names.split()}
    assert sessions == {"tests", "check", "lint", "build", "reproducible"}
    assert sessions <= _sessions()


def test_lint_results_go_to_sarif_and_annotations_and_outputs_are_attached() -> None:
    text = WORKFLOW.read_text()
    assert "--format github" in text and "--format sarif > lint.sarif" in text
    assert "upload-sarif" in text and "upload-artifact" in text
    assert "outputs/pdf/" in text and "outputs/epub/" in text and "outputs/json/" in text


def test_ci_run_calls_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert len(blocks) == 2, "README gives exactly two commands"
    assert blocks[1] in (REPO / ".ci" / "run").read_text()


def _system_packages() -> list[str]:
    lines = (REPO / "requirements" / "system.txt").read_text().splitlines()
    return [line.split()[0] for line in lines if line.strip() and not line.startswith("#")]


def test_one_list_of_system_packages_serves_nox_ci_the_workflow_and_readme() -> None:
    packages = _system_packages()
    assert "default-jre-headless" in packages and "libpango-1.0-0" in packages
    workflow = WORKFLOW.read_text()
    for text in (workflow, (REPO / ".ci" / "run").read_text(), (REPO / "README.md").read_text()):
        assert not [p for p in packages if p in text], "name requirements/system.txt instead"
    assert workflow.count("requirements/system.txt") >= 2  # the test job and the build job
    assert "requirements/system.txt" in (REPO / "README.md").read_text()
    assert 'SYSTEM = Path("requirements/system.txt")' in (REPO / "noxfile.py").read_text()
