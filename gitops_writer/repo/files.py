"""The files of one working tree: confined to it, read once, edited in memory, written all or nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, Protocol

from gitops_writer.errors import NotFoundError
from gitops_writer.repo import journal
from gitops_writer.repo.lock import tree_lock, working_tree_root
from gitops_writer.repo.reading import confined, decode, inside, read_text

if TYPE_CHECKING:
    from gitops_writer.formats import Editor

BOM = "\ufeff"
Step = Callable[[str], str]  # an edit of a text without its BOM


@dataclass(frozen=True)
class FileChange:
    """One file's planned change: `old`/`new` are full texts, None meaning absent."""

    path: str  # as shown in diffs, relative to the repository root
    old: str | None
    new: str | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


class TreeSource(Protocol):
    """A tree of files read from elsewhere than the disk: a commit's tree in git's object database."""

    def listing(self) -> frozenset[str]:
        """Every regular file's path (POSIX separators, relative to the tree's root)."""
        ...

    def read(self, relative: str) -> bytes | None:
        """The file's bytes; None when the tree holds no such file."""
        ...

    def blob(self, relative: str) -> str | None:
        """The object id of the file's content (None when absent): equal ids, equal texts."""
        ...

    def is_dir(self, relative: str) -> bool: ...


def edit_keeping_bom(text: str, apply: Step) -> str:
    """Apply an edit to the text after its byte order mark, and put the mark back."""
    bom = BOM if text.startswith(BOM) else ""
    return bom + apply(text[len(bom) :])


class RepositoryFiles:
    """Every file access of a run on one working tree goes through here.

    It promises: no path outside the tree or under `.git/` is touched, and a symlink is never
    followed out of the tree (deleting one deletes the link itself); texts are read once, with their
    byte order mark kept aside for the editors and put back on write; `lock()` is the tree's one lock
    (the same for the generic verbs and for requests) and settles an interrupted write first;
    `write_changes()` writes every change or none, crash-safe (see `repo.journal`).
    """

    def __init__(self, root: Path, *, shown: Mapping[str, str] | None = None, source: TreeSource | None = None) -> None:
        self.root = root.resolve()
        self.source = source  # read from this tree instead of the disk (nothing is ever written to it)
        self.tree = working_tree_root(self.root)  # where the lock and the journal live
        self.shown = dict(shown or {})  # relative path -> how messages name it, when not the path itself
        self._old: dict[str, str | None] = {}
        self._new: dict[str, str | None] = {}
        self._editors: dict[tuple[str, int], Editor] = {}

    @classmethod
    def around(cls, file: Path) -> tuple[RepositoryFiles, str]:
        """The working tree holding `file` (as given on a command line), and the file's path inside it."""
        folder = file.absolute().parent.resolve()
        root = working_tree_root(folder)
        relative = (folder / file.name).relative_to(root).as_posix()
        return cls(root, shown={relative: file.as_posix()}), relative

    # ------------------------------------------------------------ paths

    def path(self, relative: str) -> Path:
        """The file's real path for reading and writing, refusing anything that could leave the tree."""
        return self._locate(relative)[1]

    def is_dir(self, relative: str) -> bool:
        if self.source is not None:
            confined(relative)
            return self.source.is_dir(relative)
        return self.path(relative).is_dir()

    def _locate(self, relative: str) -> tuple[Path, Path]:
        """(the path itself, a symlink not followed; the real path it leads to), both checked."""
        return inside(self.root, relative, self.name_of(relative))

    def name_of(self, relative: str) -> str:
        """How messages name the file: as the command line gave it, else its path in the tree."""
        return self.shown.get(relative, relative)

    # ------------------------------------------------------------ texts in memory

    # The one read of a file's text: `read` as it is (BOM kept), `content` as the editors read it (BOM
    # aside), `existing` the same for a file that must exist; each now (edits so far included) or as it was.

    def read(self, relative: str, *, original: bool = False) -> str | None:
        """The file's current (or `original`) text, BOM kept; None when it does not exist."""
        if relative not in self._old:
            if self.source is not None:
                confined(relative)
                data = self.source.read(relative)
                self._old[relative] = None if data is None else decode(data, self.name_of(relative))
            else:
                path = self.path(relative)
                self._old[relative] = read_text(path, self.name_of(relative)) if path.exists() else None
            self._new[relative] = self._old[relative]
        return self._old[relative] if original else self._new[relative]

    def has_read(self, relative: str) -> bool:
        return relative in self._old

    def content(self, relative: str, *, original: bool = False) -> str | None:
        """The current (or `original`) text without its byte order mark: what the editors read."""
        text = self.read(relative, original=original)
        return None if text is None else text.removeprefix(BOM)

    def existing(self, relative: str) -> str:
        """The current text without its byte order mark, for a file that must exist."""
        text = self.content(relative)
        if text is None:
            self._absent(relative)
        return text

    def _absent(self, relative: str) -> NoReturn:
        raise NotFoundError(f"{self.name_of(relative)}: no such file")

    def write(self, relative: str, text: str | None) -> None:
        """Replace the file's text in memory (None: delete the file); nothing reaches the disk yet."""
        self.read(relative)
        self._new[relative] = text

    def edit(self, relative: str, apply: Step) -> None:
        """Apply an edit to the text (BOM aside) in memory."""
        text = self.read(relative)
        if text is None:
            self._absent(relative)
        self._new[relative] = edit_keeping_bom(text, apply)

    def editor(self, relative: str, *, document: int = 0) -> Editor:
        """The file's editor for this run: it keeps the tree of the text it last read, so that reading a
        file and then editing it parses it once."""
        key = (relative, document)
        if key not in self._editors:
            from gitops_writer.formats import editor_for

            self._editors[key] = editor_for(relative, document=document)
        return self._editors[key]

    def changes(self) -> list[FileChange]:
        return [FileChange(path, self._old[path], self._new[path]) for path in self._old]

    # ------------------------------------------------------------ the disk

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the working tree's one lock; an interrupted earlier write is settled first."""
        if self.source is not None:  # a tree in the object database: nothing on disk to guard
            yield
            return
        with tree_lock(self.tree):
            journal.settle(self.tree)
            yield

    def write_changes(self) -> None:
        """Write every changed file, or none; take `lock()` around reading and writing."""
        assert self.source is None, "a tree read from git is committed with git, never written here"
        targets = []
        for change in self.changes():
            if change.changed:
                link, real = self._locate(change.path)
                targets.append(
                    journal.Target(real if change.new is not None else link, change.new, self.name_of(change.path))
                )
        if targets:
            with tree_lock(self.tree):
                journal.write_all(self.tree, targets)


def recover(repo: Path) -> str | None:
    """Settle the journal an interrupted write left in the working tree holding `repo`, if any."""
    tree = working_tree_root(repo)
    with tree_lock(tree):
        return journal.settle(tree)
