"""The source as arbiter: checks of the seed against the text it translates."""
