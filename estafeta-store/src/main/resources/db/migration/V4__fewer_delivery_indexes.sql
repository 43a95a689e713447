-- Every index on deliveries is written on each insert and on each status change, and the queue
-- writes each delivery three times. These three are redundant now:
-- (account_id, id) and (webhook_id, id): every query by account or webhook uses the
-- (…, created_at) indexes of V2 and V3;
-- (lease_owner): the heartbeat extends the leases a node holds by their ids, which it knows.
drop index deliveries_by_account;
drop index deliveries_by_webhook;
drop index deliveries_leased;
