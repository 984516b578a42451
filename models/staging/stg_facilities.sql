-- Other places offering bread, cash or post, as they were at the period's end.
-- grain: one row per facility
-- check not_null: facility_id, service, lat, lon
-- check unique: facility_id
select facility_id, service, lat, lon, commune_insee, source, kind
from facilities
where (_valid_from is null or _valid_from <= {{last}}) and (_valid_to is null or {{last}} < _valid_to)
