"""The web workbench of `nianbao serve` (needs the extra: pip install "nianbao[web]")."""
