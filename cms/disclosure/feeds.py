"""RSS 2.0 feed of a column: its newest 30 items."""

from django.http import HttpResponse
from django.utils.feedgenerator import Rss201rev2Feed

FEED_SIZE = 30


def column_feed(column, request):
    feed = Rss201rev2Feed(
        title=f"{column.get_site().site_name or ''} {column.title}".strip(),
        link=column.get_full_url(request),
        description=column.search_description or column.title,
        language="zh-cn",
        feed_url=request.build_absolute_uri(),
    )
    for item in column.get_items()[:FEED_SIZE]:
        link = item.get_full_url(request)
        feed.add_item(
            title=item.title,
            link=link,
            unique_id=item.index_number or link,
            description=item.summary or item.title,
            pubdate=item.publish_date,
            author_name=item.publisher_name,
            categories=[item.get_category_display()],
        )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
