/* wg-demo-data.h — the Chinese word lists and tables the demo township is made of
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Included by wg-demo.c only. Everything here is data, not user interface: names, places and
 * case texts of an invented but plausible township in eastern Yunnan, so none of it is
 * marked for translation.
 */
#pragma once

#include <glib.h>

/* Common surnames, the most frequent ones repeated so that they come up more often, plus a
 * few typical of Luoping's Bouyei and Yi families (岑, 资, 浦). */
static const char * const demo_surnames[] = {
  "王", "王", "李", "李", "李", "张", "张", "刘", "陈", "杨", "杨", "杨", "黄", "赵", "吴",
  "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "罗", "郑", "梁", "谢",
  "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋",
  "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "钟", "谭",
  "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊",
  "秦", "邱", "江", "尹", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "龚",
  "岑", "岑", "资", "浦", "昂", "普", "保", "起",
};

static const char * const demo_given_male[] = {
  "伟", "强", "军", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "华", "建", "国", "文",
  "武", "海", "林", "波", "斌", "鹏", "宇", "浩", "峰", "磊", "兵", "忠", "德", "福", "贵",
  "荣", "发", "成", "祥", "春", "光", "永", "志", "云", "昌", "学", "兴", "顺", "家", "富",
};

static const char * const demo_given_female[] = {
  "芳", "娟", "敏", "静", "丽", "艳", "霞", "燕", "玲", "萍", "红", "梅", "琴", "英", "兰",
  "秀", "凤", "莲", "珍", "慧", "婷", "雪", "琼", "桂", "菊", "月", "春", "莉", "佳", "欣",
};

static const char * const demo_mobile_prefixes[] = {
  "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
  "155", "157", "158", "159", "177", "180", "182", "183", "187", "188", "189", "198", "199",
};

/* Band by band from the north, west to east; the town seat's two communities sit in the
 * middle. `code` is the village's 3 digits in the 15-digit grid code: 0xx for a community
 * (居委会), 2xx for a village (村委会), as the statistical division codes have it. */
static const struct {
  const char *name;
  const char *code;
  gboolean    community;
} demo_villages[] = {
  { "德作村", "201", FALSE },
  { "色甫村", "202", FALSE },
  { "松毛村", "203", FALSE },
  { "团山村", "204", FALSE },
  { "石洞村", "205", FALSE },
  { "马街社区", "001", TRUE },
  { "兴隆社区", "002", TRUE },
  { "大寨村", "206", FALSE },
  { "水井村", "207", FALSE },
  { "小营村", "208", FALSE },
  { "新庄村", "209", FALSE },
  { "长坡村", "210", FALSE },
};

/* Natural villages: a villager group is usually named after its hamlet. */
static const char * const demo_hamlet_prefixes[] = {
  "上", "下", "大", "小", "新", "老", "前", "后", "中", "东", "西", "南", "北", "高", "长",
  "石", "沙", "竹", "李家", "杨家", "张家", "王家", "岩", "水", "龙", "白", "黑", "红",
};
static const char * const demo_hamlet_cores[] = {
  "寨", "村", "庄", "营", "坡", "冲", "箐", "塘", "湾", "坝", "田", "岭", "屯", "铺", "河",
};

static const char * const demo_streets[] = {
  "兴隆路", "振兴街", "新华路", "团结路", "建设路", "文化路", "农贸街", "学府路", "滇黔路", "花园巷",
};

static const char * const demo_numerals[] = {
  "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
  "十四", "十五", "十六", "十七", "十八", "十九", "二十",
};

/* 科级干部包村: the section-level cadres and their posts. */
static const char * const demo_section_posts[] = {
  "党委副书记", "副镇长", "纪委书记", "组织委员", "宣传委员", "武装部部长", "人大主席",
  "人大副主席", "政法委员", "统战委员", "副镇长", "党委委员",
};

/* The five mobile party-and-people service teams of seed 000 and the ten lines of work of
 * "one network" (seed 001), which are the departments a case can go to. */
static const struct {
  const char *name;
  const char *work_line;   /* NULL for a service team */
} demo_teams[] = {
  { "便民服务队", NULL },
  { "医疗服务队", NULL },
  { "法律关爱服务队", NULL },
  { "文化下乡服务队", NULL },
  { "技能培训服务队", NULL },
  { "乡村振兴办公室", "rural_revitalization" },
  { "农业农村服务中心", "agriculture" },
  { "综治中心", "public_security" },
  { "信访办公室", "petitions" },
  { "综合行政执法队（城管）", "urban_management" },
  { "生态环境保护站", "environment" },
  { "卫生院", "health" },
  { "村镇规划建设服务中心", "construction" },
  { "自然资源所", "land" },
  { "应急管理办公室（安监站）", "safety" },
};

/* Categories with their deadlines (DOMAIN.md, Beijing 12345 practice: urgent 2 h,
 * utilities 24 h, general 7 days, complex 15 days), the team or department a case goes to
 * by default, and how often it comes up (weight). `%s` in a title is the place. */
typedef struct
{
  const char *name;
  const char *code;
  const char *urgency;
  int         deadline_value;
  const char *deadline_unit;
  guint       team;
  guint       weight;
  const char *titles[3];
  const char *description;
  const char *result;
} DemoCategory;

static const DemoCategory demo_categories[] = {
  { "矛盾纠纷调处", "MD01", "normal", 7, "days", 7, 12,
    { "%s邻里宅基地界址纠纷", "%s村民因排水沟引发争执", "%s家庭赡养纠纷" },
    "网格员巡查发现双方多次争吵，情绪激动，需尽快介入调解。",
    "已组织双方及村组干部现场调解，签订调解协议，矛盾化解。" },
  { "山林土地纠纷", "MD02", "low", 15, "days", 13, 5,
    { "%s两户山林地界争议", "%s集体林地承包边界不清", "%s通道用地纠纷" },
    "双方对林地四至认定不一致，已持续多年，群众反映强烈。",
    "经自然资源所现场测量、群众评议团评议，确认界址并立桩，双方认可。" },
  { "安全生产隐患", "AQ01", "high", 3, "days", 14, 7,
    { "%s砖厂作业区无防护栏", "%s加油点消防器材过期", "%s民房燃气管道老化" },
    "巡查发现安全隐患，存在事故风险，请相关部门尽快检查整改。",
    "已督促经营者整改到位，更换设施并开展安全教育，隐患消除。" },
  { "突发事件", "TF01", "urgent", 2, "hours", 14, 2,
    { "%s山体滑坡堵塞道路", "%s民房起火", "%s暴雨致农田被淹" },
    "现场情况紧急，已疏散周边群众，请立即派员处置。",
    "应急队伍已到场处置完毕，无人员伤亡，现场恢复正常。" },
  { "生态环境保护", "HB01", "normal", 7, "days", 10, 7,
    { "%s养殖场污水直排河道", "%s露天焚烧秸秆", "%s河道垃圾堆积" },
    "群众反映异味明显，影响周边生活环境。",
    "已责令整改，清理污染物并建立台账，下步持续跟踪。" },
  { "公用设施（水电路灯）", "GY01", "normal", 24, "hours", 12, 11,
    { "%s路灯不亮", "%s自来水管破裂漏水", "%s村组供电线路老化" },
    "影响群众夜间出行和正常生活，请尽快维修。",
    "已联系维修人员更换损坏部件，恢复正常使用。" },
  { "道路交通", "DL01", "normal", 7, "days", 12, 5,
    { "%s村道路面塌陷", "%s路口缺少减速带", "%s桥梁护栏损坏" },
    "存在交通安全隐患，学生上下学经过，群众担心。",
    "已完成路面修补并设置警示标志。" },
  { "市容环境卫生", "SR01", "normal", 7, "days", 9, 8,
    { "%s占道经营", "%s垃圾清运不及时", "%s乱搭乱建影响通行" },
    "影响集镇环境和群众出行，请相关部门处理。",
    "已劝导整改，现场清理完毕，恢复整洁。" },
  { "乱占耕地建房", "TD01", "normal", 15, "days", 13, 3,
    { "%s疑似占用耕地建房", "%s未批先建", "%s宅基地超占" },
    "网格员巡查发现新开挖地基，未见审批公示。",
    "已下达停工通知，当事人自行拆除，恢复耕种条件。" },
  { "民生服务诉求", "MS01", "normal", 7, "days", 0, 13,
    { "%s独居老人需代办医保缴费", "%s群众咨询低保申请", "%s残疾人证办理代办" },
    "群众行动不便，请服务队上门代办。",
    "服务队已上门代办完成，群众表示满意。" },
  { "医疗卫生服务", "YL01", "normal", 3, "days", 1, 6,
    { "%s慢病老人需上门随访", "%s群众申请家庭医生签约", "%s卧床老人需上门体检" },
    "老人行动不便，希望医生上门服务。",
    "医疗服务队已上门随访，完成体检并建立健康档案。" },
  { "法律咨询援助", "FL01", "low", 7, "days", 2, 4,
    { "%s农民工讨薪求助", "%s群众咨询土地流转合同", "%s婚姻家庭法律咨询" },
    "当事人希望获得法律帮助。",
    "法律关爱服务队已解答咨询并协助准备材料。" },
  { "文明创建", "WM01", "low", 7, "days", 3, 4,
    { "%s文化广场设施损坏", "%s红白事大操大办", "%s村规民约宣传栏破损" },
    "影响文明村创建，请相关服务队协助。",
    "已开展宣传并修复设施，纳入红黑榜管理。" },
  { "技能培训需求", "JN01", "low", 15, "days", 4, 3,
    { "%s返乡青年希望参加电工培训", "%s妇女希望学习刺绣技能", "%s农户申请种植技术培训" },
    "群众有培训意愿，请技能培训服务队对接。",
    "已将群众纳入本期培训班，完成报名。" },
  { "疫情防控", "YQ01", "high", 24, "hours", 11, 2,
    { "%s外地返乡人员健康监测", "%s发现疑似传染病例", "%s畜禽疫病疑似病例" },
    "按防控要求需尽快核实并落实措施。",
    "已完成核查和健康监测登记，落实防控措施。" },
  { "农业生产服务", "NY01", "normal", 7, "days", 6, 5,
    { "%s烤烟病虫害求助", "%s农田灌溉沟渠堵塞", "%s油菜种植技术咨询" },
    "影响农业生产，农户希望尽快得到技术指导。",
    "农技人员已现场指导，问题解决。" },
  { "营商环境", "YS01", "normal", 7, "days", 5, 2,
    { "%s个体户反映办证难", "%s农贸市场摊位分配问题", "%s企业反映用工招聘困难" },
    "经营主体反映办事不便，请相关部门协调。",
    "已协调相关部门上门服务，问题解决。" },
  { "信访诉求", "XF01", "normal", 15, "days", 8, 3,
    { "%s群众反映征地补偿问题", "%s群众反映低保评定不公", "%s群众反映工程欠款" },
    "群众多次反映，情绪较大，需认真核实答复。",
    "已调查核实并书面答复，群众息诉。" },
};

static const char * const demo_return_reasons[] = {
  "该事项不属于本单位职责范围，请指挥中心重新派单。",
  "现场核实涉及多个部门，请指挥中心协调派单。",
  "需由村委会先行调解，建议改派属地村委。",
};
static const char * const demo_reopen_reasons[] = {
  "回访群众不满意，问题未彻底解决，请返工。",
  "现场核查发现整改不到位，请重新处置。",
};
static const char * const demo_reject_reasons[] = {
  "经核实不属于受理范围，已向反映人解释。",
  "信息不完整且多次联系不上反映人，不予受理。",
};
static const char * const demo_escalate_reasons[] = {
  "涉及跨乡镇协调，超出镇级处置权限，报县指挥中心。",
  "涉及县级部门审批事项，报县指挥中心协调处理。",
};
static const char *demo_supervise_note = "已超过办理时限，请于一个工作日内办结并反馈。";
static const char *demo_extend_reason = "需等待材料和设备到位，申请延期三个工作日。";
static const char *demo_extend_approval = "同意延期。";
static const char *demo_verify_notes[] = { NULL, "现场核查属实，已处置到位。", "电话回访，群众认可。" };

/* The holiday calendar 2025–2027 (国务院办公厅关于部分节假日安排的通知). 2025 and 2026
 * are the published schedules. 2027 was not yet published when this was written: it is a
 * plausible schedule following the same rules (statutory days, weekend days moved to
 * bridge the gaps) and must be replaced by the real one once the State Council publishes
 * it (an administrator can do that through the holidays resource). */
static const struct {
  const char *first;
  const char *last;
  gboolean    workday;
  const char *name;
} demo_holidays[] = {
  { "2025-01-01", "2025-01-01", FALSE, "元旦" },
  { "2025-01-26", "2025-01-26", TRUE, "春节调休上班" },
  { "2025-01-28", "2025-02-04", FALSE, "春节" },
  { "2025-02-08", "2025-02-08", TRUE, "春节调休上班" },
  { "2025-04-04", "2025-04-06", FALSE, "清明节" },
  { "2025-04-27", "2025-04-27", TRUE, "劳动节调休上班" },
  { "2025-05-01", "2025-05-05", FALSE, "劳动节" },
  { "2025-05-31", "2025-06-02", FALSE, "端午节" },
  { "2025-09-28", "2025-09-28", TRUE, "国庆节调休上班" },
  { "2025-10-01", "2025-10-08", FALSE, "国庆节、中秋节" },
  { "2025-10-11", "2025-10-11", TRUE, "国庆节调休上班" },
  { "2026-01-01", "2026-01-03", FALSE, "元旦" },
  { "2026-01-04", "2026-01-04", TRUE, "元旦调休上班" },
  { "2026-02-14", "2026-02-14", TRUE, "春节调休上班" },
  { "2026-02-15", "2026-02-23", FALSE, "春节" },
  { "2026-02-28", "2026-02-28", TRUE, "春节调休上班" },
  { "2026-04-04", "2026-04-06", FALSE, "清明节" },
  { "2026-05-01", "2026-05-05", FALSE, "劳动节" },
  { "2026-05-09", "2026-05-09", TRUE, "劳动节调休上班" },
  { "2026-06-19", "2026-06-21", FALSE, "端午节" },
  { "2026-09-20", "2026-09-20", TRUE, "国庆节调休上班" },
  { "2026-09-25", "2026-09-27", FALSE, "中秋节" },
  { "2026-10-01", "2026-10-07", FALSE, "国庆节" },
  { "2026-10-10", "2026-10-10", TRUE, "国庆节调休上班" },
  /* 2027: plausible, not yet published (see above) */
  { "2027-01-01", "2027-01-03", FALSE, "元旦" },
  { "2027-01-31", "2027-01-31", TRUE, "春节调休上班" },
  { "2027-02-05", "2027-02-13", FALSE, "春节" },
  { "2027-02-20", "2027-02-20", TRUE, "春节调休上班" },
  { "2027-04-03", "2027-04-05", FALSE, "清明节" },
  { "2027-05-01", "2027-05-05", FALSE, "劳动节" },
  { "2027-05-08", "2027-05-08", TRUE, "劳动节调休上班" },
  { "2027-06-09", "2027-06-09", FALSE, "端午节" },
  { "2027-09-15", "2027-09-15", FALSE, "中秋节" },
  { "2027-09-26", "2027-09-26", TRUE, "国庆节调休上班" },
  { "2027-10-01", "2027-10-07", FALSE, "国庆节" },
  { "2027-10-09", "2027-10-09", TRUE, "国庆节调休上班" },
};
