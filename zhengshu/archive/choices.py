from django.db import models

from zhengshu.pipeline.linking import CATEGORY_LABELS


class Category(models.TextChoices):
    REGISTRATION = "registration", CATEGORY_LABELS["registration"]
    LICENCE = "licence", CATEGORY_LABELS["licence"]
    TAX = "tax", CATEGORY_LABELS["tax"]
    SOCIAL = "social", CATEGORY_LABELS["social"]
    CREDIT_GOOD = "credit_good", CATEGORY_LABELS["credit_good"]
    CREDIT_BAD = "credit_bad", CATEGORY_LABELS["credit_bad"]
    PENALTY = "penalty", CATEGORY_LABELS["penalty"]
    POLICY = "policy", CATEGORY_LABELS["policy"]
    OTHER = "other", CATEGORY_LABELS["other"]


class Verdict(models.TextChoices):
    CONFIRMED = "confirmed", "确认是同一企业"
    REJECTED = "rejected", "不是同一企业"
