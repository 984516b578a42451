-- Kilometres saved per café and service: the distance from the café to the nearest other place
-- offering the service (int_nearest_facility), times the uses recorded at the café, times the
-- trip factor (1 one-way, 2 round trip) and the road-detour factor. Exact decimal arithmetic:
-- distances to the millimetre, so sums are the same to the last digit on every run.
-- grain: one row per café × service (bread, cash, post) with uses in the period
-- check not_null: cafe_id, service, uses, status
-- check unique: cafe_id, service
-- check relationships: cafe_id -> stg_cafes.cafe_id
-- check expression: km IS NULL OR km >= 0
-- check expression: (status = 'ok') = (km IS NOT NULL)
select u.cafe_id, u.service, u.uses, n.facility_id, n.distance_km, n.status,
    case when n.status = 'ok'
        then CAST(n.distance_km AS DECIMAL(18, 6)) * CAST({{trip_factor}} AS DECIMAL(9, 4)) * u.uses
    end as km
from stg_service_uses u
join int_nearest_facility n on n.cafe_id = u.cafe_id and n.service = u.service
