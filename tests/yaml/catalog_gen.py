"""A generated governance catalog shaped like the ECR catalog: `repositories:` with N entries."""

from __future__ import annotations

HEADER = 'version: "1.0"\ndomain: delivery\nowner: platform-team\nlast_updated: "2026-01-09"\nrepositories:\n'


def governance_catalog(entries: int) -> str:
    parts = [HEADER]
    for i in range(entries):
        parts.append(
            f"  app-{i:05d}:\n"
            "    metadata:\n"
            f"      id: REGISTRY_APP_{i:05d}\n"
            f"      owner: team-{i % 37}\n"
            f"      risk: {('low', 'medium', 'high')[i % 3]}\n"
            "      environment: dev\n"
            '      created_date: "2026-01-05"\n'
            "      status: active\n"
        )
    return "".join(parts)
