"""manage.py load_demo: demo regions, policies, staff and orders; prints what a newcomer can try."""

from django.core.management.base import BaseCommand

from rma.demo import demo_load


class Command(BaseCommand):
    help = "Load demo data (safe to run twice) and print the demo logins and orders."

    def handle(self, *args, **options):
        result = demo_load()
        out = self.stdout.write
        out(self.style.SUCCESS("Demo data is ready."))
        out("\nStaff logins (http://127.0.0.1:8000/agent/ and /admin/):")
        for username, password, role, _name in result["staff"]:
            out(f"  {role:<14} {username:<12} password: {password}")
        out("\nDemo orders at http://127.0.0.1:8000/<language>/ (order number + email), as of today:")
        for order, shows in result["orders"]:
            out(f"  {order.number:<8} {order.customer.email:<28} {order.customer.language:<7} {shows}")
        gift_order, code = result["gift"]
        out(f"\nA gift return at http://127.0.0.1:8000/it/gift/: order {gift_order.number}, gift code {code}")
