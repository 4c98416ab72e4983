"""trunk-recorder capture folders as a call source."""
