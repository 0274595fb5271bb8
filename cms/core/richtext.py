"""The rich-text feature lists of the portal's editors (Draftail)."""

# Body text of published pages: headings, lists, links to pages and documents, images.
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link", "document-link", "image"]
