"""The ticketing pipeline's decisions in plain Python: no Odoo, no database.

- ``lifecycle``: what an order's state means for its tickets, which version of an order
  wins, and the fingerprint that makes a replay change nothing.
- ``identity``: the keys a buyer is looked up by, and the verdict on scored candidates
  (match, ask a steward, or a new contact).
- ``audience``: visits, RFM scores and segments, genre affinity.

``culture_crm_ticketing/sync`` binds these decisions to the database.
"""
