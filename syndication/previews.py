"""Phone previews of the posts a page will make, from the editor's unsaved form (Wagtail's preview modes)."""

from django.utils import timezone
from wagtail.images import get_image_model

from .adapt import (
    IMAGE_PLACEHOLDER,
    canonical_url,
    compose_weibo_text,
    wechat_article,
    wechat_problems,
    weibo_length,
    weibo_problems,
)
from .models import Account, Channel, WeChatTarget, WeiboTarget


def _link(page):
    try:
        return canonical_url(page)
    except (AttributeError, TypeError):  # a page being created has no url_path yet
        return canonical_url(page, parent=page.get_parent()) if page.path else ""


def _rendition_urls(image_ids, spec):
    images = get_image_model().objects.in_bulk([i for i in image_ids if i])
    return {pk: image.get_rendition(spec).url for pk, image in images.items()}


def _wechat_post(page, target, account, link):
    article = wechat_article(page, target, account, link=link)
    urls = _rendition_urls([*article.images, article.cover_image_id], "max-1080x1080")
    content = article.content
    for image_id, url in urls.items():
        content = content.replace(f'{IMAGE_PLACEHOLDER}="{image_id}"', f'src="{url}"')
    return {
        "account": account,
        "article": article,
        "content": content,
        "cover_url": urls.get(article.cover_image_id),
        "problems": wechat_problems(article),
        "mass_send": target.mass_send,
    }


def _weibo_post(page, target, account, link):
    text = compose_weibo_text(target.text or page.title, link)
    return {
        "account": account,
        "text": text,
        "length": weibo_length(text),
        "picture_url": _rendition_urls([target.picture_id], "max-800x800").get(target.picture_id),
        "problems": weibo_problems(target.text or page.title, link, account),
    }


def preview_context(page, mode):
    """Each opted-in account's post as it will look; with none chosen yet, the first account's defaults."""
    link = _link(page)
    channel, targets, model, build = (
        (Channel.WECHAT, page.wechat_targets.all(), WeChatTarget, _wechat_post)
        if mode == "wechat"
        else (Channel.WEIBO, page.weibo_targets.all(), WeiboTarget, _weibo_post)
    )
    targets = [t for t in targets if t.account_id]
    opted_in = bool(targets)
    if not opted_in:
        fallback = Account.objects.filter(channel=channel, active=True).first()
        targets = [model(account=fallback)] if fallback else []
    posts = [build(page, target, target.account, link) for target in targets]
    return {
        "page": page,
        "posts": posts,
        "opted_in": opted_in,
        "now": timezone.localtime(),
        "channel": channel,
    }
