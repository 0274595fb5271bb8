from wagtail.query import PageQuerySet


class DepartmentPageQuerySet(PageQuerySet):
    def active(self):
        return self.filter(status="active")
