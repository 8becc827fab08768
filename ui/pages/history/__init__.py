"""The History page: past meetings, a person's history, who to reach out to."""
