-- Purchase orders and their lines (the Warehouse part of DOMAIN.md). A line's counts (good,
-- damaged, and the machine's) are kept by the code that records floor counts, in the same
-- transaction; an overs PO names its parent. Numbers are unique whatever their case.
create table purchase_orders (
    id integer primary key,
    number text not null,
    vendor text not null default '',
    tablet_type_id integer references tablet_types(id),
    status text not null check (status in ('draft', 'issued', 'shipped', 'partially_received', 'received',
        'active', 'complete', 'cancelled')),
    closed integer not null default 0,
    close_reason text not null default '',
    parent_id integer references purchase_orders(id),
    created_by text not null,
    created_at text not null,
    updated_at text not null
);
create unique index purchase_orders_number on purchase_orders(lower(number));
create index purchase_orders_parent on purchase_orders(parent_id) where parent_id is not null;

create table po_lines (
    id integer primary key,
    po_id integer not null references purchase_orders(id),
    line_no integer not null,
    inventory_item text not null,
    name text not null,
    quantity_ordered integer not null check (quantity_ordered > 0),
    good integer not null default 0,
    damaged integer not null default 0,
    machine_good integer not null default 0,
    machine_damaged integer not null default 0,
    unique (po_id, line_no)
);
-- A line's round: the POs that hold the same item.
create index po_lines_item on po_lines(inventory_item, po_id);
