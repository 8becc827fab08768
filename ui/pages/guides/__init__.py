"""The Guides page: the library of topic guides and meeting formats, and their editor."""
