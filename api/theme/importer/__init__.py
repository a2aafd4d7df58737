"""Importing a theme from the municipality's own website (issue 13, decision 0020).

``propose(url)`` fetches the home page and its stylesheets server-side, through the
same guard as the forms' data sources (``api.core.outbound``), and proposes design
tokens: the site's name, a logo, colours ranked by use, fonts and footer links. Nothing
is applied: an administrator reviews the proposal, adjusts it and applies it."""
