-- A rendered request's body apart from its head (method, URL, headers): stored as rendered, it is
-- not escaped into JSON on the way in nor parsed out of it on every attempt, and an attempt's
-- record shows the delivery's body rather than a copy of it. Rows stored before keep the body in
-- the head's JSON and null here; both are read.
alter table delivery_requests add column body text;
