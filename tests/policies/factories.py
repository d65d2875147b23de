"""Factories for regions and policies."""

import factory

from policies.models import Region, RegionCountry, ReturnPolicy


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
