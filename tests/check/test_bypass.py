"""check/bypass.py: a template that opens a pull request against this repository itself goes around the
request workflow."""

from __future__ import annotations

from pathlib import Path

from tests.fit.support import gw


def test_a_template_opening_its_own_pull_request_against_this_repository_is_a_finding(built: Path) -> None:
    template = built / "catalog/templates/ecr-request.yaml"
    text = template.read_text()
    dispatch_url = next(line.split("repoUrl:")[1].strip() for line in text.splitlines() if "repoUrl:" in line)
    steps = "  steps:\n"
    template.write_text(
        text.replace(
            steps,
            steps + "    - id: shortcut\n      name: Open the PR directly\n      action: publish:github:pull-request\n"
            f"      input:\n        repoUrl: {dispatch_url}\n        branchName: shortcut\n        title: shortcut\n"
            "    - id: app\n      name: A new application repository\n      action: publish:github\n"
            "      input:\n        repoUrl: github.com?owner=acme&repo=some-new-app\n",
            1,
        )
    )
    done = gw("check", f"--repo={built}", "--json")
    found = [(f["check"], f["message"]) for f in done.findings]
    assert len(found) == 1 and found[0][0] == "bypass", found
    assert "with publish:github:pull-request, around the request workflow" in found[0][1]
