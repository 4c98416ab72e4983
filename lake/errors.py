"""Typed errors of the storage library, so callers catch a kind, not a string."""


class LakeError(Exception):
    """Base class for storage errors."""


class TableNotFound(LakeError):
    def __init__(self, name: str, uri: str) -> None:
        super().__init__(f"table {name!r} does not exist at {uri}")
        self.name = name
        self.uri = uri


class ObjectNotFound(LakeError):
    def __init__(self, key: str) -> None:
        super().__init__(f"no object at {key!r}")
        self.key = key


class CommitConflict(LakeError):
    """A write kept losing the commit race to other writers after every retry."""
