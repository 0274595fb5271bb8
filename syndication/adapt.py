"""Turn a page into what each platform accepts: WeChat-safe HTML and article fields, Weibo text with its link.

Everything is checked here, before any remote call (newmedia-apis.md §1.10, §2.1): the editor sees the same
messages in the page editor, and a job whose content breaks a rule fails before it touches the platform.
"""

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3
from bs4 import BeautifulSoup
from django.conf import settings
from django.utils.translation import gettext as _

from cms.core import units

WECHAT_TITLE_MAX = 32
WECHAT_AUTHOR_MAX = 16
WECHAT_DIGEST_MAX = 128
WECHAT_CONTENT_MAX_CHARS = 20000
WECHAT_CONTENT_MAX_BYTES = 1024 * 1024
WECHAT_SOURCE_URL_MAX_BYTES = 1024
WECHAT_BODY_IMAGE_MAX_BYTES = 1024 * 1024
WECHAT_IMAGE_URL_ALLOWANCE = (
    160  # an uploadimg URL replaces each placeholder; room kept for it in the length check
)
WEIBO_TEXT_MAX = 140

URL = re.compile(r"https?://[^\s]+", re.I)

# Tags kept in WeChat HTML; everything else is unwrapped (its text kept) or, for these, removed with content.
KEEP_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "img", "a", "span", "section", "hr", "sub", "sup",
}  # fmt: skip
DROP_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea", "select", "video",
    "audio", "noscript", "svg", "canvas", "link", "meta", "frame", "frameset",
}  # fmt: skip
INLINE_STYLES = {
    "p": "margin:0 0 1em;line-height:1.75;font-size:16px;color:#333;text-align:justify;",
    "h2": "margin:1.2em 0 0.6em;font-size:18px;font-weight:bold;color:#222;",
    "h3": "margin:1em 0 0.5em;font-size:17px;font-weight:bold;color:#222;",
    "h4": "margin:1em 0 0.5em;font-size:16px;font-weight:bold;color:#222;",
    "li": "margin:0 0 0.4em;line-height:1.75;font-size:16px;color:#333;",
    "ul": "margin:0 0 1em;padding-left:1.5em;",
    "ol": "margin:0 0 1em;padding-left:1.5em;",
    "blockquote": "margin:0 0 1em;padding:0.5em 1em;border-left:3px solid #c00;color:#555;background:#f7f7f7;",
    "table": "width:100%;border-collapse:collapse;margin:0 0 1em;font-size:14px;",
    "th": "border:1px solid #ccc;padding:4px 6px;background:#f2f2f2;",
    "td": "border:1px solid #ccc;padding:4px 6px;",
    "img": "max-width:100%;height:auto;display:block;margin:0 auto 1em;",
}
IMAGE_PLACEHOLDER = "data-syndication-image"


def _setting(name, default):
    return getattr(settings, name, default) if settings.configured else default


# Weibo -----------------------------------------------------------------------------------------------


def weibo_length(text):
    """Length as Weibo counts it [U]: a CJK character is 1, an ASCII character ``SYNDICATION_WEIBO_ASCII_WEIGHT``
    (0.5); with ``SYNDICATION_WEIBO_URL_LENGTH`` set, every link counts as that many (t.cn shortening)."""
    weight = float(_setting("SYNDICATION_WEIBO_ASCII_WEIGHT", 0.5))
    url_length = _setting("SYNDICATION_WEIBO_URL_LENGTH", None)
    total = 0.0
    if url_length:
        total += len(URL.findall(text)) * float(url_length)
        text = URL.sub("", text)
    for char in text:
        total += weight if ord(char) < 128 else 1
    return math.ceil(total)


def compose_weibo_text(text, link):
    """The post: the editor's text, then the canonical link (the safe-domain URL Weibo requires)."""
    text = " ".join((text or "").split())
    return f"{text} {link}" if text else link


def weibo_problems(text, link, account):
    """Reasons a Weibo post would be refused, in the editor's words."""
    problems = []
    full = compose_weibo_text(text, link)
    length = weibo_length(full)
    if length > WEIBO_TEXT_MAX:
        problems.append(
            _("微博正文连同页面链接共 %(n)d 字，超过 140 字（英文、数字按半字计）：请精简 %(over)d 字。")
            % {"n": length, "over": length - WEIBO_TEXT_MAX}
        )
    if re.search(r"#[^#\s]+#", text or ""):
        problems.append(_("通过接口发布的微博不能带 #话题#，请删除话题标记。"))
    host = (urlsplit(link).hostname or "").lower()
    domain = (account.safe_domain or "").lower().strip()
    if not domain:
        problems.append(_("微博账号“%(name)s”未设置安全域名，无法发布。") % {"name": account.name})
    elif not (host == domain or host.endswith("." + domain)):
        problems.append(
            _("页面链接的域名 %(host)s 不在微博应用的安全域名 %(domain)s 下，微博会拒绝发布。")
            % {"host": host, "domain": domain}
        )
    return problems


# Links -----------------------------------------------------------------------------------------------


def public_base_url():
    return str(_setting("SYNDICATION_PUBLIC_BASE_URL", "")).rstrip("/")


def canonical_url(page, parent=None, slug=None):
    """The page's public address on the canonical domain (also for a page not saved yet: ``parent`` + ``slug``)."""
    if parent is not None:
        parts = parent.get_url_parts()
        path = (parts[2] if parts else parent.url_path) + f"{slug or page.slug}/"
    else:
        parts = page.get_url_parts()
        path = parts[2] if parts else page.url_path
    return public_base_url() + path


# WeChat ----------------------------------------------------------------------------------------------


@dataclass
class WeChatArticle:
    title: str
    author: str
    digest: str
    content: str  # HTML with image placeholders
    images: list  # Wagtail image ids, in order
    cover_image_id: int | None
    content_source_url: str

    def as_payload(self):
        return {
            "title": self.title,
            "author": self.author,
            "digest": self.digest,
            "content": self.content,
            "images": self.images,
            "cover_image_id": self.cover_image_id,
            "content_source_url": self.content_source_url,
        }


def wechat_html(page):
    """The page body as WeChat-safe HTML, with ``<img data-syndication-image="ID">`` where images go.

    Inline styles replace classes (WeChat drops ``<style>`` and classes); scripts, iframes, forms, media and event
    handlers go; links survive only to hosts WeChat allows (``SYNDICATION_WECHAT_LINK_HOSTS``), the others keep
    their text; the canonical page is reached through 阅读原文 (``content_source_url``).
    """
    from wagtail.rich_text import expand_db_html

    soup = BeautifulSoup(getattr(page, "body", "") or "", "html.parser")
    images = []
    for embed in soup.find_all("embed"):
        if embed.get("embedtype") == "image" and str(embed.get("id", "")).isdigit():
            image_id = int(embed["id"])
            images.append(image_id)
            img = soup.new_tag("img", attrs={IMAGE_PLACEHOLDER: str(image_id), "alt": embed.get("alt", "")})
            embed.replace_with(img)
        else:
            note = soup.new_tag("p")
            note.string = _("（本文含视频等多媒体内容，请点击文末“阅读原文”查看。）")
            embed.replace_with(note)
    # Page and document links in the database format: expand them, then decide like any other link.
    soup = BeautifulSoup(expand_db_html(str(soup)), "html.parser")
    allowed_hosts = {h.lower() for h in _setting("SYNDICATION_WECHAT_LINK_HOSTS", ["mp.weixin.qq.com"])}
    for tag in soup.find_all(True):
        if tag.name in DROP_WITH_CONTENT:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        if tag.name not in KEEP_TAGS:
            tag.unwrap()
            continue
        kept = {}
        if tag.name == "a":
            href = tag.get("href", "")
            host = (urlsplit(href).hostname or "").lower()
            if not (href.startswith("https://") and host in allowed_hosts):
                tag.unwrap()
                continue
            kept["href"] = href
        elif tag.name == "img":
            if not tag.get(IMAGE_PLACEHOLDER):
                tag.decompose()  # only Wagtail images can be re-hosted through uploadimg
                continue
            kept = {IMAGE_PLACEHOLDER: tag[IMAGE_PLACEHOLDER], "alt": tag.get("alt", "")}
        elif tag.name in ("td", "th"):
            kept = {k: tag[k] for k in ("colspan", "rowspan") if str(tag.get(k, "")).isdigit()}
        tag.attrs = kept
        if tag.name in INLINE_STYLES:
            tag["style"] = INLINE_STYLES[tag.name]
    attachments = list(page.attachments.all()) if hasattr(page, "attachments") else []
    tail = ""
    if attachments:
        names = "、".join(f"《{a.display_title}》" for a in attachments[:3])
        more = _("等 %(n)d 个文件") % {"n": len(attachments)} if len(attachments) > 3 else ""
        tail += (
            f'<p style="{INLINE_STYLES["p"]}">'
            + _("附件：%(names)s%(more)s，请点击文末“阅读原文”查看下载。")
            % {
                "names": names,
                "more": more,
            }
            + "</p>"
        )
    publisher = getattr(page, "publisher_name", "") or ""
    if publisher:
        tail += (
            f'<p style="{INLINE_STYLES["p"]}color:#888;font-size:14px;">'
            + _("来源：%(p)s") % {"p": publisher}
            + "</p>"
        )
    html = clean_html(str(soup) + tail)
    return html, images


def clean_html(html):
    """Final allowlist pass (nh3, the Rust ammonia sanitizer): only the tags and attributes above survive."""
    return nh3.clean(
        html,
        tags=KEEP_TAGS,
        attributes={
            "*": {"style"},
            "a": {"href"},
            "img": {IMAGE_PLACEHOLDER, "alt", "src"},
            "td": {"colspan", "rowspan"},
            "th": {"colspan", "rowspan"},
        },
        url_schemes={"https", "http"},
        link_rel=None,
        strip_comments=True,
    )


def render_wechat_html(content, image_urls):
    """Put each uploaded image's URL where its placeholder stands."""

    def replace(match):
        url = image_urls.get(str(match.group(1)))
        return f'src="{url}"' if url else ""

    return re.sub(rf'{IMAGE_PLACEHOLDER}="(\d+)"', replace, content)


def wechat_article(page, target, account, link=None):
    """The article fields for one WeChat target (defaults filled in); no remote call."""
    department = units.containing(page)
    content, images = wechat_html(page)
    title = (target.title or page.title).strip()
    digest = (target.digest or getattr(page, "summary", "") or "").strip()
    author = (
        target.author or account.default_author or (department.short_name if department else "")
    ).strip()
    return WeChatArticle(
        title=title,
        author=author[:WECHAT_AUTHOR_MAX] if not target.author else author,
        digest=digest,
        content=content,
        images=images,
        cover_image_id=target.cover_id or account.default_cover_id,
        content_source_url=link or canonical_url(page),
    )


def wechat_problems(article):
    """Reasons WeChat would refuse the article, checked before any call."""
    problems = []
    if not article.title:
        problems.append(_("微信标题不能为空。"))
    elif len(article.title) > WECHAT_TITLE_MAX:
        problems.append(
            _("微信标题 %(n)d 字，超过 32 字：请在“微信标题”中填写不超过 32 字的标题。")
            % {"n": len(article.title)}
        )
    if len(article.author) > WECHAT_AUTHOR_MAX:
        problems.append(_("作者不超过 16 字。"))
    if len(article.digest) > WECHAT_DIGEST_MAX:
        problems.append(_("摘要 %(n)d 字，超过 128 字。") % {"n": len(article.digest)})
    if article.cover_image_id is None:
        problems.append(_("请选择封面图片（或在账号中设置默认封面）：微信图文必须有封面。"))
    size = len(article.content) + WECHAT_IMAGE_URL_ALLOWANCE * len(article.images)
    if size >= WECHAT_CONTENT_MAX_CHARS:
        problems.append(
            _("正文转换为微信格式后约 %(n)d 字符，超过微信 20000 字符的上限：请精简正文，或只推送摘要。")
            % {"n": size}
        )
    elif len(article.content.encode("utf-8")) >= WECHAT_CONTENT_MAX_BYTES:
        problems.append(_("正文超过微信 1MB 的上限。"))
    if len(article.content_source_url.encode("utf-8")) > WECHAT_SOURCE_URL_MAX_BYTES:
        problems.append(_("原文链接超过 1KB。"))
    return problems


# Images ----------------------------------------------------------------------------------------------


def image_file(image_id, max_bytes, spec="max-1080x1080"):
    """``(filename, bytes, content type)``: a JPEG rendition of a Wagtail image under ``max_bytes``."""
    from wagtail.images import get_image_model

    image = get_image_model().objects.get(pk=image_id)
    for quality, size in (
        (85, None),
        (75, None),
        (65, "max-800x800"),
        (55, "max-600x600"),
        (50, "max-400x400"),
    ):
        rendition = image.get_rendition(f"{size or spec}|format-jpeg|jpegquality-{quality}")
        with rendition.file.open("rb") as handle:
            data = handle.read()
        if len(data) < max_bytes:
            return f"image-{image_id}.jpg", data, "image/jpeg"
    raise ValueError(_("图片《%(title)s》压缩后仍超过平台大小限制。") % {"title": image.title})
