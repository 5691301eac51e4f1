-- A worker records handed_at in the instant before it writes a message's end-of-data mark:
-- from then on the server may hold the message even if the worker dies before hearing its
-- answer. A row left in `sending` with handed_at set is settled as sent and never transmitted
-- again; one without it never reached the server whole and is sent again.
alter table deliveries add column handed_at text;
