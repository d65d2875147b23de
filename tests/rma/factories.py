"""Factories for customers, orders and cases."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from rma.access import roles
from rma.orders.models import Customer, Order, OrderLine, Product, Variant


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    name = factory.Faker("name")
    language = "it"
    country = "IT"


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"ORD-{n:05d}")
    customer = factory.SubFactory(CustomerFactory)
    currency = "EUR"
    delivered_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    ordered_on = factory.LazyAttribute(lambda o: o.delivered_on - datetime.timedelta(days=2))
    ship_name = factory.LazyAttribute(lambda o: o.customer.name)
    ship_street = "Via Roma 1"
    ship_postcode = "20121"
    ship_city = "Milano"
    ship_country = factory.LazyAttribute(lambda o: o.customer.country)


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    category = "apparel"
    quantity = 2
    unit_price = Decimal("49.90")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            roles.roles_ensure()
            self.groups.add(Group.objects.get(name=extracted))
        self.save()


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    handle = factory.Sequence(lambda n: f"PRODUCT-{n}")
    name = factory.Sequence(lambda n: f"Product {n}")
    category = "apparel"


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"VAR-{n:04d}")
    options = factory.Sequence(lambda n: {"size": f"S{n}"})
    price = Decimal("49.90")
    currency = "EUR"
    stock = 5
