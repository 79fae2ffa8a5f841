"""The command line imports only what the command needs: help and errors still list every command."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from marac_tui.cli import COMMAND_MODULES, COMMANDS, build_parser, first_look, main


def listed_commands(help_text: str) -> dict[str, str]:
    """{command: help line} from the `commands:` section of a `--help` page."""
    section = help_text.split("commands:", 1)[1]
    return dict(re.findall(r"^ {4}(\w+) +(\S.*)$", section, flags=re.MULTILINE))


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_help_lists_every_command_with_its_help_line(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    listed = listed_commands(capsys.readouterr().out)
    assert list(listed) == list(COMMANDS)
    assert listed["flows"] == "list the available flows"
    assert listed["app"] == "open the app (the default)"


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_the_command_table_names_what_each_module_registers(module):
    registered = listed_commands(build_parser([module]).format_help())
    assert list(registered) == [command for command, owner in COMMANDS.items() if owner == module]


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_has_its_own_help(capsys, command):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: marac-tui {command} ")


def test_an_unknown_command_is_one_line_naming_every_command_and_exit_2():
    result = subprocess.run([sys.executable, "-m", "marac_tui", "bogus"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    usage, error = result.stderr.strip().splitlines()
    assert usage.startswith("usage: marac-tui ")
    choices = ", ".join(repr(command) for command in COMMANDS)
    assert error == f"marac-tui: error: argument COMMAND: invalid choice: 'bogus' (choose from {choices})"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, None)),
        (["--data-dir", "/d"], ("/d", None)),
        (["--data-dir=/d", "list", "--json"], ("/d", "list")),
        (["flows"], (None, "flows")),
        (["--help"], None),
        (["--version"], None),
        (["--data", "/d"], None),  # an abbreviation: argparse decides
        (["--data-dir"], None),  # no value: argparse reports it
        (["--data-dir", "-x", "list"], None),
        (["bogus"], None),
        (["--", "list"], None),
    ],
)
def test_first_look_reads_only_plain_command_lines(argv, expected):
    look = first_look(argv)
    assert (None if look is None else (look.data_dir, look.command)) == expected


def test_a_command_imports_neither_the_app_nor_the_other_commands(data_dir):
    result = run_python(
        "import sys; from marac_tui.cli import main; main(['flows']); "
        "print(sorted(m for m in sys.modules if m.startswith('marac_tui.cli.') or m.split('.')[0] == 'textual'))"
    )
    assert result.returncode == 0, result.stderr
    assert "police" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "['marac_tui.cli.context', 'marac_tui.cli.flows', 'marac_tui.cli.output']"


def test_opening_the_app_builds_no_parser(data_dir):
    """`marac-tui [--data-dir DIR]` goes straight to the app: no argparse, no command module."""
    result = run_python(
        "import sys; import marac_tui.cli.tui as tui; "
        "tui.open_app = lambda args, ctx: print('app', ctx.root) or 0; "
        f"from marac_tui.cli import main; main(['--data-dir', {str(data_dir)!r}]); "
        "print(sorted(m for m in sys.modules if m.startswith('marac_tui.cli.') or m == 'argparse'))"
    )
    assert result.returncode == 0, result.stderr
    shown, modules = result.stdout.strip().splitlines()
    assert shown == f"app {data_dir}"
    assert modules == "['marac_tui.cli.context', 'marac_tui.cli.output', 'marac_tui.cli.tui']"


def test_no_command_and_the_app_command_both_open_the_app(monkeypatch):
    import marac_tui.cli.tui as tui

    opened: list[tuple[str | None, str | None]] = []
    def open_app(args, ctx):  # noqa: ANN001, ANN202
        opened.append((ctx.data_dir, getattr(args, "training", None)))

    monkeypatch.setattr(tui, "open_app", open_app)
    assert main(["--data-dir", "/d"]) == 0
    assert main(["app", "--data-dir", "/d", "--training", "first-case"]) == 0
    assert opened == [("/d", None), ("/d", "first-case")]
