-- Signing-secret rotation: the previous secret keeps signing beside the new one until it expires.
alter table webhooks add column previous_secret text;
alter table webhooks add column previous_secret_until bigint;

-- Auto-disable: why a webhook was switched off by Estafeta rather than by its owner.
alter table webhooks add column disabled_reason varchar(40);
alter table webhooks add column disabled_at bigint;

-- Retention sweeps finished deliveries and old events in small batches, oldest first.
create index deliveries_finished on deliveries (updated_at) where status <> 'pending';
create index events_received on events (received_at);

-- The deliveries log pages newest first per account.
create index deliveries_by_account_time on deliveries (account_id, created_at, id);
