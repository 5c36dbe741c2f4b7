"""reportgen: YAML → checked model → official-format 部门整体支出绩效自评报告 (.docx)."""

__version__ = "0.2.0"
