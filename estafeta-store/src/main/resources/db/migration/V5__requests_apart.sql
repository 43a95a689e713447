-- A delivery's rendered request is written once and read once per attempt, while the delivery's
-- row is rewritten by every claim and every outcome. Kept apart, each of those rewrites copies
-- about 200 bytes rather than the request's kilobyte or more.
create table delivery_requests (
  delivery_id varchar(40) primary key,
  request text not null
);

insert into delivery_requests (delivery_id, request)
  select id, request from deliveries where request is not null;

alter table deliveries drop column request;
