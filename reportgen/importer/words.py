"""The words around a report's figures that tell the department's figure from a part of it:
the classes of the budget's spending, the words that only say which figure is meant, the
department named before its figures; and the words that name an indicator's category."""

import re

# The classes of the government budget's spending, by function (类) and by economic kind, as
# reports name them when they break their spending down (“按支出功能分类，一般公共服务支出
# 800.00万元，占67.37%”): a class's spending is a part of the department's, never its total.
SPENDING_CLASSES = (
    "一般公共服务",
    "外交支出",
    "国防支出",
    "公共安全",
    "教育支出",
    "科学技术",
    "文化旅游体育与传媒",
    "文化体育与传媒",
    "社会保障和就业",
    "卫生健康",
    "医疗卫生",
    "节能环保",
    "城乡社区",
    "农林水",
    "交通运输",
    "资源勘探",
    "商业服务业",
    "金融支出",
    "自然资源海洋气象",
    "住房保障",
    "粮油物资储备",
    "灾害防治及应急管理",
    "债务付息",
    "其他支出",
    "工资福利",
    "商品和服务",
    "对个人和家庭的补助",
    "资本性支出",
    "对企业补助",
    # not a class, and as much a part: what was bought through government procurement
    "政府采购",
)

# Words that say which figure of the department's a clause gives, not what it is a part of
# (“全年实际支出”, “调整后预算为”, “2023年度部门决算数”), longest first
MEASURE_WORDS = sorted(
    [
        "支出",
        "预算",
        "决算",
        "数",
        "总额",
        "金额",
        "合计",
        "总计",
        "共计",
        "累计",
        "共",
        "计",
        "全年度",
        "全年",
        "本年度",
        "本年",
        "年度",
        "当年",
        "全部",
        "整体",
        "部门",
        "单位",
        "本单位",
        "本部门",
        "实际",
        "完成",
        "执行",
        "调整后",
        "调整",
        "年初",
        "年中",
        "年末",
        "为",
        "是",
        "达到",
        "达",
        "了",
        "的",
        "其中",
        "总",
        "各项",
        "资金",
        "财政",
        "安排",
        "下达",
        "批复",
        "全口径",
        "情况",
        "如下",
        "具体",
    ],
    key=len,
    reverse=True,
)
# a department named before its figures (“区政府办公室年初预算”, “派潭镇人民政府年初预算”), or
# naming itself (“本镇年初预算”, “我街道”)
OWNER = re.compile(
    r"^[\u4e00-\u9fff]*(?:局|办公室|室|办|委员会|委|院|中心|馆|站|所|会|部|处|厅|署|队|社|政府"
    r"|我局|我单位|我办|我委|[本我](?:镇|乡|街道|街))"
)


# The first-level indicators (产出, 效益, 满意度) and the second-level ones a report may name
# instead: 数量/质量/时效/成本指标 are outputs, 可持续影响指标 an outcome (经济效益 etc. say 效益).
_CATEGORY_WORDS = (
    ("产出", "output"),
    ("效益", "outcome"),
    ("满意", "satisfaction"),
    ("数量指标", "output"),
    ("质量指标", "output"),
    ("时效指标", "output"),
    ("成本指标", "output"),
    ("可持续影响", "outcome"),
)


def category_of(context: str) -> str:
    """The category of an indicator by the words its lead-in, heading or table cell names."""
    return next((category for word, category in _CATEGORY_WORDS if word in context), "other")
