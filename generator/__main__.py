"""``python -m generator`` runs the nianbao command line."""

from .entry import main

if __name__ == "__main__":
    main()
