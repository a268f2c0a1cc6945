-- The PO list's order as one stored key, so a page of it is one index range (keyset pages):
-- the family (the parent's number for an overs PO, else its own), then 0 for a PO or 1 for an
-- overs PO, then its number, all lower-cased and joined by spaces. PO numbers use only
-- letters, digits, '.', '_' and '-', all above a space, so the key sorts as that triple would.
-- "C" collation: byte order, as on SQLite (a locale's order skips spaces and punctuation), and
-- lower() of ASCII letters only, as Rust's to_ascii_lowercase (a Turkish locale's lower('I') is 'ı').
-- The code that makes a PO writes its key (po_rules::po_list_key).
alter table purchase_orders add column list_key text collate "C" not null default '';
update purchase_orders p set list_key =
    coalesce((select lower(q.number collate "C") from purchase_orders q where q.id = p.parent_id),
        lower(p.number collate "C"))
    || case when p.parent_id is null then ' 0 ' else ' 1 ' end || lower(p.number collate "C");
create unique index purchase_orders_list_key on purchase_orders(list_key);
