"""Demo 互动交流: the section page, three consultations (one completed with its 采纳情况 and linked to the decision
it led to, one open for comment with a hearing, one closed waiting for its report), messages and 12345 transfers at
every stage, a past emergency with its timeline, a rumor clarification, and two online interviews.

The text follows the bureau's 2019 要点 (重要决策公开, 回应关切, 12345热线, 网上宿迁“在线访谈”, 5小时/24小时). Every
citizen is fictional. Dates of the open consultation and the pending messages are relative to today so countdowns
and clocks show something meaningful. Idempotent: nothing is added once the section page exists.
"""

import datetime

from django.utils import timezone

from cms.departments.models import DepartmentPage
from cms.disclosure.models import DisclosureItemPage
from cms.participation.models import (
    ConcernResponsePage,
    ConcernTopic,
    ConsultationComment,
    ConsultationPage,
    EmergencyIncidentPage,
    IncidentUpdate,
    InteractionIndexPage,
    InterviewGuest,
    InterviewPage,
    InterviewQuestion,
    Message,
    OpinionGroup,
    TranscriptEntry,
)
from cms.participation.setup import ensure_emergency_workflow, ensure_groups
from cms.participation.vocabularies import Adoption, MessageStatus, Moderation
from cms.review.gate import bypass
from home.bootstrap import ensure_home_page
from home.models import SectionEntryLink, SectionPage

from .applications import working_days_ago


def _at(day, hour=9, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _publish(parent, page, admin):
    page.live = False
    parent.add_child(instance=page)
    page.full_clean()
    page.save_revision(user=admin).publish(user=admin)
    page.refresh_from_db()
    return page


def load_participation(loader):
    home = ensure_home_page()
    if InteractionIndexPage.objects.exists():
        return
    departments = {d.slug: d for d in DepartmentPage.objects.all()}
    if not {"bgs", "zcfgc", "ysglc", "yjaqc", "zzc"} <= departments.keys():
        return
    manager_group = ensure_groups()
    ensure_emergency_workflow()
    loader.user("hd_manager", groups=[manager_group], first_name="互动交流管理员（局办公室）")
    admin = loader.user("admin", superuser=True, first_name="系统管理员")
    today = timezone.localdate()
    from .loader import DEMO_IMPORT_REASON

    with bypass(DEMO_IMPORT_REASON, user=admin):
        # Under the demo's 互动交流 section (home/), which links to it; at the top level on a site without one.
        section = SectionPage.objects.filter(slug="hdjl").first() or home
        board = loader.child(
            section,
            InteractionIndexPage,
            "zmhd",
            title="政民互动",
            intro="<p>通过网上留言、12345热线、网上宿迁“在线访谈”和《星期三政民互动》，与群众零距离沟通，及时回应群众关于交通运输的焦点、热点和难点问题。</p>",
            form_intro="<p>请文明留言，如实反映问题。留言一般在5个工作日内答复；涉及多个部门或情况复杂的，将告知办理进度。</p>",
        )
        if isinstance(section, SectionPage):
            section.entry_links.add(
                SectionEntryLink(
                    title="政民互动",
                    description="网上留言、12345热线办理公开、意见征集和在线访谈",
                    link_page=board,
                    sort_order=10,
                )
            )
            section.save_revision(user=admin).publish(user=admin)
        _consultations(departments, admin, today)
        _incident_and_concern(departments, admin)
        _interviews(board, admin, today)
    _messages(departments, today)
    loader.report.add(board)


def _consultations(departments, admin, today):
    decision = DisclosureItemPage.objects.filter(slug="2019-ncgl-tdsj-glbf").first()
    done = ConsultationPage(
        slug="2019-ncgl-tdsj-glbf-zqyj",
        title="《宿迁市农村公路提档升级工程建设管理办法（征求意见稿）》公开征求意见",
        summary="公开征求对农村公路提档升级工程计划管理、建设程序、质量安全和信息公开的意见。",
        keywords="农村公路,提档升级,征求意见",
        body=(
            "<p>第一条 为规范农村公路提档升级工程建设管理，保障工程质量和安全，提高投资效益，根据《公路法》《农村公路建设管理办法》等规定，结合本市实际，制定本办法。</p>"
            "<p>第二条 县（区）人民政府是本行政区域农村公路提档升级工程的责任主体，县（区）交通运输主管部门负责组织实施。</p>"
            "<p>第三条 提档升级工程实行年度计划管理。</p>"
        ),
        explanation="<p>涉及公共利益和公众权益的重大事项，需主动向社会公布决策草案、决策依据，广泛听取公众意见。本办法草案由局政策法规处会同建设管理处起草。</p>",
        basis="<p>《中华人民共和国公路法》；《农村公路建设管理办法》（交通运输部令2018年第4号）；《重大行政决策程序暂行条例》（国务院令第713号）。</p>",
        opens_on=datetime.date(2019, 1, 10),
        closes_on=datetime.date(2019, 2, 18),
        other_channels="电子邮件：jtj@suqian.gov.cn（主题注明“农村公路管理办法意见”）；信函：宿迁市洪泽湖路151号宿迁市交通运输局政策法规处（邮编223800）。",
        symposium_note="2019年1月24日召开县区交通运输局、乡镇代表座谈会。",
        report_summary="<p>征求意见期间，共收到网上意见11条、电子邮件3件，座谈会意见6条，归纳为三组。相对集中的意见建议不予采纳的，说明理由如下。</p>",
        decision=decision,
        publish_date=_at(datetime.date(2019, 1, 10)),
    )
    done.opinion_groups.add(
        OpinionGroup(
            summary="建议将“七公开”落实情况纳入年度考核。",
            count=8,
            adoption=Adoption.ADOPTED,
            reason="已在第五条中写明。",
        )
    )
    done.opinion_groups.add(
        OpinionGroup(
            summary="建议提高市级补助标准，减轻乡镇配套压力。",
            count=6,
            adoption=Adoption.PARTLY,
            reason="补助标准由市政府另行确定；本办法增加了“对经济薄弱乡镇适当倾斜”的表述。",
        )
    )
    done.opinion_groups.add(
        OpinionGroup(
            summary="建议取消工程监理，由乡镇自行监督。",
            count=6,
            adoption=Adoption.NOT_ADOPTED,
            reason="依法实行工程监理是《农村公路建设管理办法》的规定，不能取消。",
        )
    )
    done = _publish(departments["zcfgc"], done, admin)
    for name, body in [
        ("刘", "建议在村口设置公示牌，公开工程造价和施工单位。"),
        ("孙", "希望提档升级时同步建设错车道和安全防护设施。"),
    ]:
        ConsultationComment.objects.create(
            consultation=done,
            name=name + "先生",
            body=body,
            status=Moderation.APPROVED,
            submitted_at=_at(datetime.date(2019, 1, 20)),
        )
    done.completed = True
    done.save_revision(user=admin).publish(user=admin)

    opens = today - datetime.timedelta(days=10)
    open_page = _publish(
        departments["ysglc"],
        ConsultationPage(
            slug="sqgj-xlyh-zqyj",
            title="《宿迁市市区公交线路优化调整方案（征求意见稿）》公开征求意见",
            summary="公开征求对市区公交线路优化调整方案的意见，并举行听证会。",
            keywords="公交线路,优化调整,听证",
            body="<p>一、新开1路延伸线，连接宿迁站综合客运枢纽。</p><p>二、调整10路走向，增设幸福路、洪泽湖路站点。</p><p>三、夜间线路末班时间延长至22:30。</p>",
            explanation="<p>为方便市民和旅客出行，对接徐宿淮盐铁路宿迁站，局运输管理处会同公交公司起草了本方案。</p>",
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=29),
            other_channels="电子邮件：jtj@suqian.gov.cn；电话：0527-84355056。",
            hearing_at=_at(today + datetime.timedelta(days=12), 9, 30),
            hearing_place="宿迁市交通运输局三楼会议室",
            hearing_participants="市民代表：张**、李**、王**、赵**、陈**；人大代表、政协委员各1名；宿迁公交集团、市消费者协会代表。",
        ),
        admin,
    )
    ConsultationComment.objects.create(
        consultation=open_page,
        name="周女士",
        body="建议10路在市一院增设站点，方便就医。",
        status=Moderation.APPROVED,
    )
    ConsultationComment.objects.create(
        consultation=open_page, name="", body="希望夜间线路覆盖苏宿工业园区，方便下夜班的职工。"
    )

    _publish(
        departments["ysglc"],
        ConsultationPage(
            slug="cy-dlkyy-bzfa-zqyj",
            title="《春运期间道路旅客运输保障方案（征求意见稿）》公开征求意见",
            summary="春运道路旅客运输保障方案公开征求意见。",
            keywords="春运,道路运输,征求意见",
            body="<p>一、加密热门线路班次。</p><p>二、强化“两客一危”车辆动态监控。</p>",
            explanation="<p>为保障人民群众安全便捷出行，提前部署春运道路旅客运输工作。</p>",
            opens_on=today - datetime.timedelta(days=21),
            closes_on=today - datetime.timedelta(days=7),
            short_period_reason="春运开始日期临近，须在春运前印发实施，征求意见期限为15日。",
        ),
        admin,
    )


def _incident_and_concern(departments, admin):
    incident = EmergencyIncidentPage(
        slug="2019-jhyh-cbpz-tb",
        title="关于京杭运河宿迁段“6·28”船舶碰撞事故的情况通报",
        summary="京杭运河宿迁段发生船舶碰撞事故，无人员伤亡，航道已恢复通航。",
        keywords="京杭运河,船舶碰撞,应急处置",
        level="2",
        occurred_at=_at(datetime.date(2019, 6, 28), 5, 40),
        location="京杭运河宿迁船闸下游约2公里处",
        body="<p>2019年6月28日5时40分许，两艘货船在京杭运河宿迁船闸下游发生碰撞，一艘货船部分进水。事故发生后，市交通运输局立即启动应急预案，组织海事、航道部门赶赴现场处置，3名船员全部安全转移，无人员伤亡。</p>",
        publish_date=_at(datetime.date(2019, 6, 28), 8, 50),
        press_conference_at=_at(datetime.date(2019, 6, 28), 16, 0),
        ended=True,
    )
    incident.updates.add(
        IncidentUpdate(
            at=_at(datetime.date(2019, 6, 28), 11, 30),
            text="进水货船已被拖离主航道，现场设置警戒区，过往船舶单向通航。",
        )
    )
    incident.updates.add(
        IncidentUpdate(
            at=_at(datetime.date(2019, 6, 28), 18, 0), text="航道清障完毕，京杭运河宿迁段恢复双向通航。"
        )
    )
    _publish(departments["yjaqc"], incident, admin)
    EmergencyIncidentPage.objects.filter(pk=incident.pk).update(
        first_published_at=_at(datetime.date(2019, 6, 28), 8, 50)
    )

    topic = ConcernTopic.objects.create(
        name="网传“市区出租车起步价上调”",
        description="网传自2019年8月1日起宿迁市区出租车起步价由7元上调至10元。",
        raised_at=_at(datetime.date(2019, 7, 25), 10),
        source="网络舆情",
    )
    _publish(
        departments["zzc"],
        ConcernResponsePage(
            slug="2019-czc-qbj-cq",
            title="关于网传“市区出租车起步价上调”的澄清说明",
            kind="rumor",
            concern_topic=topic,
            summary="宿迁市区出租车运价未作调整，网传信息不实。",
            keywords="出租车,运价,辟谣",
            body="<p>近日，网络上流传“宿迁市区出租车起步价8月1日起上调至10元”的信息。经核实，我市市区出租车运价未作调整，现行起步价仍为7元。运价调整须依法履行成本监审、听证等程序，并向社会公布。请广大市民以官方发布的信息为准。</p>",
            publish_date=_at(datetime.date(2019, 7, 26), 9),
        ),
        admin,
    )


def _interviews(board, admin, today):
    past = InterviewPage(
        slug="2019-zxft-ncgl",
        title="畅通农村公路 服务乡村振兴——市交通运输局负责人做客网上宿迁“在线访谈”",
        summary="介绍2019年农村公路提档升级工程和城乡公交一体化工作，回答网友提问。",
        starts_at=_at(datetime.date(2019, 6, 19), 9, 30),
        video_url="https://www.suqian.gov.cn/zxft/2019/0619.mp4",
        collects_questions=True,
    )
    past.guests.add(InterviewGuest(name="张志远", position="市交通运输局副局长"))
    past.guests.add(InterviewGuest(name="刘建平", position="市交通运输局建设管理处处长"))
    for role, speaker, text in [
        (
            "host",
            "主持人",
            "各位网友，欢迎收看网上宿迁“在线访谈”。今天我们邀请到市交通运输局负责同志，围绕农村公路提档升级与大家交流。",
        ),
        (
            "guest",
            "张志远",
            "今年全市计划完成农村公路提档升级工程，同步推进桥梁改造和安全防护设施建设，做到建设计划、补助政策、施工管理、工程验收等信息全部公开。",
        ),
        ("netizen", "网友", "我们村的道路什么时候列入提档升级计划？"),
        (
            "guest",
            "刘建平",
            "年度计划由县（区）交通运输主管部门编制、报市局审核后在网站公布，您可以在“重大项目”栏目查询。",
        ),
    ]:
        past.transcript.add(TranscriptEntry(role=role, speaker=speaker, text=text))
    _publish(board, past, admin)

    upcoming = InterviewPage(
        slug="zxft-gjyth",
        title="城乡公交一体化——星期三政民互动在线访谈预告",
        summary="市交通运输局运输管理处负责人介绍城乡公交一体化进展，欢迎网友提前提问。",
        starts_at=_at(today + datetime.timedelta(days=8), 9, 30),
    )
    upcoming.guests.add(InterviewGuest(name="周海峰", position="市交通运输局运输管理处处长"))
    upcoming = _publish(board, upcoming, admin)
    InterviewQuestion.objects.create(
        interview=upcoming, name="网友", body="乡镇到市区的公交能不能再加密一些班次？"
    )


def _messages(departments, today):
    bgs, ysglc, jsglc = (
        departments["bgs"],
        departments["ysglc"],
        departments.get("jsglc") or departments["bgs"],
    )
    rows = [
        dict(
            category="consult",
            department=ysglc,
            subject="市区公交10路冬季末班车时间",
            body="请问市区公交10路冬季末班车几点从汽车客运站发车？",
            name="王建国",
            phone="13905270201",
            received_on=working_days_ago(12, today),
            status=MessageStatus.REPLIED,
            reply="您好！市区公交10路冬季末班车为20:30从汽车客运站发车。感谢您的关注。",
            replied_on=working_days_ago(10, today),
        ),
        dict(
            category="suggest",
            channel="12345",
            hotline_number="SQ12345-20191105-0231",
            department=jsglc,
            subject="建议完善农村公路错车道",
            body="我村道路较窄，会车困难，建议提档升级时增设错车道。",
            name="孙立华",
            phone="13905270202",
            received_on=working_days_ago(9, today),
            status=MessageStatus.REPLIED,
            reply="您好！您反映的情况已转县交通运输局，已列入明年提档升级计划，届时将按标准增设错车道。",
            replied_on=working_days_ago(5, today),
        ),
        dict(
            category="complaint",
            department=ysglc,
            subject="家门口的公交站牌被撞坏",
            body="要求不公开：我家门口的公交站牌被车辆撞坏，请尽快修复。",
            name="钱美玲",
            phone="13905270203",
            is_private=True,
            received_on=working_days_ago(6, today),
            status=MessageStatus.REPLIED,
            reply="已安排公交公司修复。",
            replied_on=working_days_ago(4, today),
        ),
        dict(
            category="consult",
            department=ysglc,
            subject="网约车驾驶员证如何办理",
            body="请问在宿迁办理网络预约出租汽车驾驶员证需要哪些材料？",
            name="李想",
            phone="13905270204",
            received_on=working_days_ago(4, today),
        ),
        dict(
            category="help",
            channel="12345",
            hotline_number="SQ12345-20191101-0088",
            department=bgs,
            subject="货车通行证办理进度",
            body="10月份申请的城区货车通行证一直没有消息，请帮忙查询。",
            name="周强",
            phone="13905270205",
            received_on=today - datetime.timedelta(days=35),
        ),
        dict(
            category="other",
            department=bgs,
            subject="与交通运输无关的广告",
            body="低价代办各类证件，联系电话……",
            name="某某",
            phone="13905270206",
            received_on=working_days_ago(3, today),
            status=MessageStatus.INVALID,
            invalid_reason="广告信息，与交通运输工作无关。",
        ),
    ]
    for row in rows:
        message = Message(**row)
        message.full_clean()
        message.save()
