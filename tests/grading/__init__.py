"""``nncourse grade`` and ``nncourse check`` on crafted submissions."""
