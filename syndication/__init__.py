"""New-media syndication: approved pages pushed to WeChat official accounts and Weibo, exactly once, by Celery.

The review gate's release (``cms.review``) writes the outbox rows; ``engine`` runs them through a backend per
platform (``backends``) built on thin ``requests`` clients (``clients``); ``sandbox`` is a local server speaking
both platforms' contracts for the demo and the tests.
"""
