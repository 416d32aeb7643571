"""Articles and their metadata: the only definition of an article file (walk, stat, read,
front matter), the text's structure, derived metadata and the metadata cache."""
