"""The bodies of the `newsloom` subcommands; cli.py parses arguments and calls these after Django is set up."""
