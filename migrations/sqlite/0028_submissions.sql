-- Floor submissions (the Warehouse part of DOMAIN.md): what the floor counted, of one of three
-- kinds, with the factors its tablets were computed from kept beside them (a product's ppd or
-- tpp edited later changes no stored count). `good` and `damaged` are the tablets it counts; a
-- packaged count adds them to its PO line's good and damaged, a machine count to the line's
-- machine good and machine damaged, in the same transaction, and a bag count is a check of its
-- bag only. The line is named by id, so a line's stored counts are the sums over the
-- submissions that name it, which `recalculate` checks.
create table submissions (
    id integer primary key,
    kind text not null check (kind in ('packaged', 'bag', 'machine')),
    submitted_on text not null,
    employee text not null,
    -- Who made it, by user id (a user may be renamed); no foreign key: a deleted user's counts stay.
    employee_id integer,
    tablet_type_id integer not null references tablet_types(id),
    product_id integer references products(id),
    machine_id integer references machines(id),
    box_no integer check (box_no > 0),
    bag_no integer check (bag_no > 0),
    displays integer not null default 0 check (displays >= 0),
    packs integer not null default 0 check (packs >= 0),
    loose integer not null default 0 check (loose >= 0),
    turns integer not null default 0 check (turns >= 0),
    ppd integer not null default 0,
    tpp integer not null default 0,
    cards_per_turn integer not null default 0,
    good integer not null check (good >= 0),
    damaged integer not null default 0 check (damaged >= 0),
    bag_id integer references receive_bags(id),
    po_id integer references purchase_orders(id),
    po_line_id integer references po_lines(id),
    needs_review integer not null default 0,
    verified_by text,
    verified_at text,
    admin_notes text not null default '',
    created_at text not null,
    updated_at text not null
);
-- A bag's running total; a line's derived counts; the newest first.
create index submissions_bag on submissions(bag_id) where bag_id is not null;
create index submissions_line on submissions(po_line_id) where po_line_id is not null;
create index submissions_recent on submissions(submitted_on, id);
