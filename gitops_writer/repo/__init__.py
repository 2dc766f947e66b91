"""The working tree: files confined to it, read and written all-or-nothing."""
