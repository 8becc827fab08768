"""What every part of the window shares: plain-text helpers, small widgets, the style, a form
dialog, the snapshot table models, guide HTML."""
