-- Receiving (the Warehouse part of DOMAIN.md): a receive, its PO optional until a manager
-- assigns one, with its bags, each numbered inside its box. A receive's name is not stored:
-- it is `<PO>-<n>`, n its place among its PO's receives by (date, id), so it is read from the
-- index below. `received_on` is an ISO day (YYYY-MM-DD), which sorts as text.
create table receives (
    id integer primary key,
    po_id integer references purchase_orders(id),
    shipment_ref text not null default '',
    received_on text not null,
    received_by text not null,
    notes text not null default '',
    status text not null check (status in ('draft', 'published', 'closed')),
    created_by text not null,
    created_at text not null,
    updated_at text not null
);
create index receives_po on receives(po_id, received_on, id);
create index receives_recent on receives(received_on, id);

create table receive_bags (
    id integer primary key,
    receive_id integer not null references receives(id),
    box_no integer not null check (box_no > 0),
    bag_no integer not null check (bag_no > 0),
    tablet_type_id integer not null references tablet_types(id),
    label_count integer not null check (label_count > 0),
    unique (receive_id, box_no, bag_no)
);
-- Floor counts find their bag by (tablet type, box, bag).
create index receive_bags_match on receive_bags(tablet_type_id, box_no, bag_no);
