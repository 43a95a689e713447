-- Retention finds finished deliveries by creation time, an index no write after the insert
-- changes. The index on the time of the last change made every outcome's update of a delivery
-- write a new entry in each of its indexes; now PostgreSQL can update the row in place (a HOT
-- update) when its page has room, which the fill factor keeps for it.
drop index deliveries_finished;
create index deliveries_by_time on deliveries (created_at);
${deliveries_fill}
