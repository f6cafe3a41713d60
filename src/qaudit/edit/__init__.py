"""The editing use cases every front-end calls (line prompts, the full-screen form, ``--set``,
``import-xlsx``): each plans a change, checks it with the ``validate`` rules (cross-field
rules included) and writes it through the one write path (``audit.writer.AuditEditor``).

Modules (each starts with its API):

* ``session``: ``open_audit(path, today) -> AuditSession`` (changed-on-disk detection);
* ``check``: ``check_plan(session, Plan) -> Verdict`` (new errors refuse, warnings shown);
* ``values``: ``check_value`` (per field, nothing written), ``set_values`` (all or nothing);
* ``records``: add a parent/carer's views, an action, a learning action or an event;
* ``lifecycle``: ``complete_audit``, ``reopen``;
* ``moderate``: the panel's decision, field by field or at once, with the digest;
* ``actions``: add, agree and close an action.

Values typed by people are read by ``qaudit.audit.values`` (one parser per kind).
"""
