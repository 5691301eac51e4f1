-- Where listeners find the show in podcast apps: the home page shows a button for each set.
alter table settings add column apple_podcasts_url text not null default '';
alter table settings add column spotify_url text not null default '';
alter table settings add column overcast_url text not null default '';
alter table settings add column pocket_casts_url text not null default '';
