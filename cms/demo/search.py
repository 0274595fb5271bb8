"""Demo content for site search: the synonym dictionary citizens need on day one, then a fresh index and
suggestion vocabulary of everything the loader created. Idempotent."""

from django.core.management import call_command

from search.models import Synonym
from search.suggest import rebuild_vocabulary

SYNONYMS = [
    # (what citizens type, what the documents say, both ways)
    ("开出租", ["出租汽车经营许可", "出租汽车"], False),
    ("交通局", ["交通运输局"], False),
    ("驾校", ["机动车驾驶员培训", "驾驶员培训"], False),
    ("罚款", ["行政处罚"], False),
    ("网约车", ["网络预约出租汽车"], True),
    ("公交车", ["公共汽车", "城市公交"], False),
    ("跑长途", ["道路旅客运输", "班线客运"], False),
    ("船检", ["船舶检验"], False),
    ("信息公开申请", ["依申请公开", "政府信息公开申请"], False),
    ("市民热线", ["12345"], False),
]


def load_search(report=None):
    for term, expansions, two_way in SYNONYMS:
        synonym, created = Synonym.objects.get_or_create(
            term=term, defaults={"expansions": "\n".join(expansions), "two_way": two_way, "note": "演示词典"}
        )
        if created and report is not None:
            report.add(synonym)
    call_command("update_index", verbosity=0)
    rebuild_vocabulary()
