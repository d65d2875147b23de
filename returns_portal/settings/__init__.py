"""Settings modules: base (safe defaults), local, test and production."""
