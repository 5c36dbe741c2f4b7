"""Running someone else's template: the sandbox, its limits, the package, checks, trial renders and the compiled-once cache."""
