-- The queue apart from the deliveries: one narrow row per pending delivery, with only its key and
-- its due-time index. A claim rewrites a delivery's due time (to the end of its lease); in the
-- deliveries table that rewrite copied the whole row and added an entry to each of its five
-- indexes, and the due-time index kept every finished delivery's dead entries until a vacuum. Here
-- a claim writes a row of four columns and two index entries, an outcome deletes the row, and the
-- table holds the pending work only, whatever the number of finished deliveries beside it.
-- version fences a claim: an outcome is written only while the version its claim took still holds.
-- On SQLite the table is kept in its key's B-tree (without rowid: one B-tree less per row).
-- deliveries.version keeps the version a delivery left the queue with, so a delivery put back
-- (a manual retry) starts from there and no late outcome of an earlier claim can match it.
create table delivery_queue (
  delivery_id varchar(40) primary key,
  due_at bigint not null,
  lease_owner varchar(80),
  version int not null
)${key_table};

create index delivery_queue_due on delivery_queue (due_at);

insert into delivery_queue (delivery_id, due_at, lease_owner, version)
  select id, coalesce(next_attempt_at, updated_at), lease_owner, version
  from deliveries where status = 'pending';

drop index deliveries_due;
alter table deliveries drop column lease_owner;
alter table deliveries drop column lease_until;
