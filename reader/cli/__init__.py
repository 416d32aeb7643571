"""The command line: ``reader`` alone runs the TUI; subcommands, one module per topic."""
