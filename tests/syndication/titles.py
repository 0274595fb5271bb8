"""News titles for volume runs of the new-media pipeline (the chaos test and ``bench/syndication.py``)."""

import itertools

PLACES = [
    "宿城区",
    "宿豫区",
    "沭阳县",
    "泗阳县",
    "泗洪县",
    "湖滨新区",
    "洋河新区",
    "经开区",
    "高新区",
    "苏宿园区",
]
WORKS = [
    "农村公路提档升级工程开工",
    "公交线路优化调整",
    "危桥改造工程完工",
    "港口码头整治",
    "城乡公交一体化推进",
    "交通安全隐患排查",
    "客运站改造提升",
    "绿色货运配送示范",
    "普通国省道养护",
    "治超非现场执法点启用",
]


def news_titles(count):
    """``count`` distinct titles: each place with each work, then again with a running number."""
    pairs = [f"{place}{work}" for place, work in itertools.product(PLACES, WORKS)]
    return [f"{pairs[n % len(pairs)]}（第{n // len(pairs) + 1}期）" for n in range(count)]
