"""The recits terminal app (Textual): a view over the core, which never imports it."""
