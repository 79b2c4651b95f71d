"""Views are thin: they find objects through the scoped selectors (404 when the user may not
see them), check the role with the rules (403), validate a form and call one service."""
