"""Mechanisms every feature uses: database, markup, mail, security, paging, errors."""
