from django.db import models


class DivisionLevel(models.TextChoices):
    PROVINCE = "province", "省级"
    PREFECTURE = "prefecture", "地级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"


class DepartmentLevel(models.TextChoices):
    CITY = "city", "市级部门"
    TOWN = "town", "镇·街道"
    VILLAGE = "village", "村·社区"
