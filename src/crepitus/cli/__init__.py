"""The command-line adapter: parse arguments, call one workflow, format the result.

Only this package imports the terminal toolkit (rich).  stdout carries data
(``--json``), stderr carries messages for people; errors are one line with a
hint and a documented exit code (:class:`crepitus.cli.console.ExitCode`).
"""
