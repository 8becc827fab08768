"""The Sharing page: the share round's timer, its queue, the room display and the chimes."""
