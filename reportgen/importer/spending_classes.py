"""The classes of the government budget's spending, by function (类) and by economic kind, as
reports name them when they break their spending down (“按支出功能分类，一般公共服务支出
800.00万元，占67.37%”): a class's spending is a part of the department's, never its total."""

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
