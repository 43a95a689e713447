-- The portal: one-time login links and the sessions they open. Only SHA-256 hashes of their
-- tokens are kept, so a copy of the database lets no one in.

create table portal_links (
  token_hash varchar(64) primary key,
  account_id varchar(40) not null references accounts (id),
  created_at bigint not null,
  expires_at bigint not null,
  used_at bigint
);

create index portal_links_by_expiry on portal_links (expires_at);

create table portal_sessions (
  token_hash varchar(64) primary key,
  account_id varchar(40) not null references accounts (id),
  created_at bigint not null,
  expires_at bigint not null
);

create index portal_sessions_by_expiry on portal_sessions (expires_at);

-- The portal's 24-hour chart and "last delivery" read one webhook's deliveries by time.
-- created_at never changes, so this index costs one entry per insert and nothing when the
-- dispatcher updates a delivery's status.
create index deliveries_by_webhook_time on deliveries (webhook_id, created_at);
