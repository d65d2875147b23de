"""Factories for regions and policies."""

import factory

from policies.models import PolicyRule, Region, RegionCountry, ReturnCenter, ReturnPolicy


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "EU"
    name = factory.LazyAttribute(lambda o: f"Region {o.code}")


class RegionCountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionCountry
        django_get_or_create = ("country",)

    region = factory.SubFactory(RegionFactory)
    country = "IT"


class ReturnPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnPolicy

    region = factory.SubFactory(RegionFactory)
    version = factory.Sequence(lambda n: n + 1)
    status = ReturnPolicy.Status.PUBLISHED
    window_days = 30
    change_of_mind_allowed = True
    return_shipping_paid_by = "customer"
    auto_approve = True
    resolutions = factory.LazyFunction(lambda: ["refund", "store_credit", "exchange", "repair", "replacement"])


class PolicyRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyRule

    policy = factory.SubFactory(ReturnPolicyFactory, status=ReturnPolicy.Status.DRAFT)
    priority = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"Rule {o.priority}")


class ReturnCenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnCenter

    name = factory.Sequence(lambda n: f"Centre {n}")
    address = "Via Industria 1, 20100 Milano"
    country = "IT"
    customs_territory = "EU"
