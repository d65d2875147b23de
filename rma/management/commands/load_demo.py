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
        out("\nDemo orders to return at http://127.0.0.1:8000/ (order number + email):")
        for order in result["orders"]:
            state = "recent" if order.number.endswith("1001") else "older, mostly past the window"
            out(f"  {order.customer.country:<3} {order.number:<9} {order.customer.email:<30} ({state})")
