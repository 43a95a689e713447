-- One schema for SQLite and PostgreSQL: times are epoch milliseconds, JSON is text.

create table accounts (
  id varchar(40) primary key,
  name varchar(200) not null,
  created_at bigint not null
);

create table api_keys (
  id varchar(40) primary key,
  account_id varchar(40) not null references accounts (id),
  key_hash varchar(64) not null unique,
  prefix varchar(20) not null,
  created_at bigint not null,
  revoked_at bigint
);

create index api_keys_by_account on api_keys (account_id);

create table webhooks (
  id varchar(40) primary key,
  account_id varchar(40) not null references accounts (id),
  definition text not null,
  signing_secret text not null,
  enabled boolean not null,
  created_at bigint not null,
  updated_at bigint not null
);

create index webhooks_by_account on webhooks (account_id, created_at);

create table events (
  account_id varchar(40) not null,
  id varchar(200) not null,
  type varchar(60) not null,
  occurred_at bigint not null,
  data text not null,
  received_at bigint not null,
  primary key (account_id, id)
);

-- The deliveries table is the queue: pending rows with a due time are the work.
create table deliveries (
  id varchar(40) primary key,
  account_id varchar(40) not null,
  webhook_id varchar(40) not null,
  event_id varchar(200) not null,
  event_type varchar(60) not null,
  status varchar(12) not null,
  reason varchar(30),
  attempts int not null,
  budget_start int not null,
  next_attempt_at bigint,
  lease_owner varchar(80),
  lease_until bigint,
  version int not null,
  request text,
  last_error text,
  created_at bigint not null,
  updated_at bigint not null
);

-- Only pending rows are in the claim index, so finished deliveries never slow the claim.
create index deliveries_due on deliveries (next_attempt_at) where status = 'pending';
-- A node's heartbeat extends the leases it holds.
create index deliveries_leased on deliveries (lease_owner) where status = 'pending';
create index deliveries_by_account on deliveries (account_id, id);
create index deliveries_by_event on deliveries (account_id, event_id);
create index deliveries_by_webhook on deliveries (webhook_id, id);

create table attempts (
  delivery_id varchar(40) not null,
  number int not null,
  started_at bigint not null,
  duration_ms bigint not null,
  outcome varchar(10) not null,
  error text,
  request text not null,
  response text,
  primary key (delivery_id, number)
);
