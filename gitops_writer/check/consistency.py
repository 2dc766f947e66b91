"""Every resource of a kind in every place the kind's edits put it, in every environment it is in."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from gitops_writer.check.findings import ERROR, WARNING, Finding
from gitops_writer.check.presence import Place, Presence

CHECK = "consistency"


def consistency(kind_name: str, found: Sequence[Presence]) -> Iterator[Finding]:
    for presence in found:
        for path, error in presence.unreadable:
            yield Finding(path, getattr(error, "line", None) or 1, ERROR, CHECK, f"cannot be read: {error}")
    names = sorted({name for presence in found for name in presence.places})
    scoped_edits = [p for p in found if p.scoped]
    for name in names:
        places = [(p, place) for p in found for place in p.places.get(name, [])]
        anchor = places[0][1]
        in_environments = sorted({e for _, place in places for e in place.environments})
        for presence in found:
            own = presence.places.get(name, [])
            if presence.scoped:
                here = {e for place in own for e in place.environments}
                for environment in in_environments:
                    if environment not in here:
                        yield _missing(kind_name, name, anchor, presence, environment, _because(environment, places))
            elif not own:
                yield _missing(kind_name, name, anchor, presence, None, "")
            elif presence.records_environment:
                recorded = {e for place in own for e in place.environments}
                for environment in in_environments if recorded else ():  # none found: not in the layout's words
                    if environment not in recorded:
                        yield Finding(
                            own[0].path,
                            own[0].line,
                            ERROR,
                            CHECK,
                            f"{kind_name} {name}: the {presence.label} does not name environment {environment}, "
                            f"which its {_because(environment, places)}",
                            name,
                        )
        if scoped_edits and not in_environments:
            where = " or ".join(p.label for p in scoped_edits)
            yield Finding(
                anchor.path,
                anchor.line,
                WARNING,
                CHECK,
                f"{kind_name} {name} is in no environment: none of its records names one, so it can have no {where}",
                name,
            )


def _because(environment: str, places: list[tuple[Presence, Place]]) -> str:
    sources = sorted({f"{p.label} {place.path}" for p, place in places if environment in place.environments})
    return " and ".join(sources) + " record" + ("s" if len(sources) == 1 else "")


def _missing(kind: str, name: str, anchor: Place, presence: Presence, environment: str | None, because: str) -> Finding:
    where = presence.where(name, environment)
    message = f"{kind} {name} has no {presence.label} ({where})"
    if environment:
        message = f"{kind} {name} is in {environment} ({because}) but has no {presence.label} ({where})"
    return Finding(anchor.path, anchor.line, ERROR, CHECK, message, name)
