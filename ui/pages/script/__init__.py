"""The Script panel: the meeting's format part by part with the topic guide's words, beside every page."""
