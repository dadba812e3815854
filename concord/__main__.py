"""``python -m concord`` runs the CLI."""

from concord.cli import main

if __name__ == "__main__":
    main()
