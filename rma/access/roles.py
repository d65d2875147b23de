"""The staff roles (agent, supervisor, policy admin) as Django groups with their permissions."""

from django.contrib.auth.models import Group, Permission

AGENT = "Agents"
SUPERVISOR = "Supervisors"
POLICY_ADMIN = "Policy admins"

_AGENT_PERMS = [
    "rma.view_returncase",
    "rma.decide_case",
    "rma.process_case",
    "rma.refund_case",
    # Fix the address a parcel leaves from when its label cannot be made (audited on the timeline, before the
    # label only): the agent working the case sees the problem, and the label goes to our own return centre.
    "rma.correct_address",
    "rma.view_order",
    "rma.view_customer",
]
ROLE_PERMISSIONS = {
    AGENT: _AGENT_PERMS,
    SUPERVISOR: [*_AGENT_PERMS, "rma.supervise_case"],
    POLICY_ADMIN: [
        "policies.view_region",
        "policies.add_region",
        "policies.change_region",
        "policies.view_regioncountry",
        "policies.add_regioncountry",
        "policies.change_regioncountry",
        "policies.delete_regioncountry",
        "policies.view_returnpolicy",
        "policies.add_returnpolicy",
        "policies.change_returnpolicy",
        "policies.delete_returnpolicy",
        "policies.view_returncenter",
        "policies.add_returncenter",
        "policies.change_returncenter",
        "policies.view_policyrule",
        "policies.add_policyrule",
        "policies.change_policyrule",
        "policies.delete_policyrule",
        "policies.view_policytext",
        "policies.add_policytext",
        "policies.change_policytext",
        "policies.delete_policytext",
        "rma.view_cannedreply",
        "rma.add_cannedreply",
        "rma.change_cannedreply",
        # A reply is only its texts: without these a policy admin's replies stay empty.
        "rma.view_cannedreplytext",
        "rma.add_cannedreplytext",
        "rma.change_cannedreplytext",
        "rma.delete_cannedreplytext",
        "rma.view_notification",
    ],
}


def roles_grant(role: str, *perms: str) -> None:
    """Another app gives a role permissions of its own (analytics: its dashboard), from its ``ready()``."""
    for perm in perms:
        if perm not in ROLE_PERMISSIONS[role]:
            ROLE_PERMISSIONS[role].append(perm)


def roles_ensure() -> None:
    """Create the role groups and give them their permissions; safe to run any number of times."""
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted += list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*wanted)


def roles_ensure_on_migrate(sender, **kwargs):
    roles_ensure()


# Roles whose members must use a second factor (TOTP) before any staff page; superusers must too. Agents may.
MFA_REQUIRED_ROLES = (SUPERVISOR, POLICY_ADMIN)
# What only those roles may do, so that the check reads the cached permission set (no query per page) and
# also covers anyone given these permissions outside the groups.
MFA_REQUIRED_PERMISSIONS = ("rma.supervise_case", "policies.change_returnpolicy")
