from django.utils.translation import gettext_lazy as _

from cms.review.forms import GatedPageForm

STRUCTURE_HELP = _("已发布机构的名称、简称、代码、网址和沿革只能通过“机构调整”变更（记录文号和生效日期）。")


class DepartmentPageForm(GatedPageForm):
    """A public unit's structure is shown read-only: renames, merges and the rest go through a reorganization,
    which also renames its groups, moves its content and keeps every old URL answering."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.instance.locked_structure_fields():
            field = self.fields.get(name)
            if field is not None:
                field.disabled = True
                field.help_text = STRUCTURE_HELP
