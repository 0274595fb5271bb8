"""New-media syndication (WeChat, Weibo): the pipeline arrives with its own issue; the package reserves its place."""
