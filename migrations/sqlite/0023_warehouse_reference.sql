-- Warehouse reference data (the Warehouse part of DOMAIN.md): categories, tablet types,
-- products and machines. Nothing here is ever deleted: purchase orders and floor submissions
-- name these rows, so a row that is no longer used is archived (a machine: made inactive).
-- Names are unique whatever their case, so "7OH 4ct" and "7oh 4CT" cannot both exist:
-- `name_key` is the name as backroom folds it (every letter lower-cased, the same on both
-- engines, which lower-case differently beyond ASCII), unique. Inventory items are codes,
-- matched exactly.
create table warehouse_categories (
    id integer primary key,
    name text not null,
    name_key text not null unique,
    position integer not null,
    archived integer not null default 0,
    created_at text not null,
    updated_at text not null
);

create table tablet_types (
    id integer primary key,
    name text not null,
    name_key text not null unique,
    inventory_item text not null unique,
    category_id integer references warehouse_categories(id),
    archived integer not null default 0,
    created_at text not null,
    updated_at text not null
);

create table products (
    id integer primary key,
    name text not null,
    name_key text not null unique,
    tablet_type_id integer not null references tablet_types(id),
    ppd integer not null check (ppd > 0),
    tpp integer not null check (tpp > 0),
    archived integer not null default 0,
    created_at text not null,
    updated_at text not null
);
create index products_tablet_type on products(tablet_type_id, id);

create table machines (
    id integer primary key,
    name text not null,
    name_key text not null unique,
    cards_per_turn integer check (cards_per_turn > 0),
    archived integer not null default 0,
    created_at text not null,
    updated_at text not null
);

insert into settings (key, value, value_type, description, updated_at)
values ('count_tolerance', '5', 'int', 'How many tablets a bag''s count may differ from its label and still match',
    '2026-01-01T00:00:00Z');
