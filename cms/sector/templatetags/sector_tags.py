from django import template

from cms.disclosure.vocabularies import Category

register = template.Library()


@register.simple_tag
def policy_theme_links(page):
    """[(theme page, theme name)] for a 政策解读 or 政策文件 tagged 减税降费 or 降本增效 (by its own 关键词 or
    those of the policy it interprets). One query for the theme page, only on those two columns."""
    from ..models import PolicyThemePage

    if getattr(page, "category", None) not in (Category.INTERPRETATION, Category.POLICY):
        return []
    theme_page = PolicyThemePage.objects.live().filter(locale_id=page.locale_id).first()
    if theme_page is None:
        return []
    keywords = set(page.keyword_list)
    policy = page.interprets if page.interprets_id else None
    if policy is not None:
        keywords.update(policy.keyword_list)
    return [(theme_page, name) for name, tags in theme_page.themes() if keywords.intersection(tags)]
