-- Suppliers and the cafés they supply, with the crow-fly distance between them (haversine on the
-- mean Earth radius) and whether the supplier is local to that café (within the local radius).
-- Suppliers with no position at all are kept with local = null (counted in the run's warnings).
-- grain: one row per supplier (SIREN) × café supplied
-- check not_null: siren, cafe_id, legal_form
-- check unique: siren, cafe_id
-- check relationships: cafe_id -> stg_cafes.cafe_id
-- check expression: distance_km IS NULL OR distance_km >= 0
select s.siren, s.cafe_id, s.name, s.legal_form, s.spend_eur, s.position_source,
    haversine_km(s.lat, s.lon, c.lat, c.lon, {{earth_radius_km}}) as distance_km,
    haversine_km(s.lat, s.lon, c.lat, c.lon, {{earth_radius_km}}) <= {{local_radius_km}} as local
from stg_suppliers s join stg_cafes c on c.cafe_id = s.cafe_id
