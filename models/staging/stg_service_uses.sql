-- Uses of services at the cafés during the period, summed per café and service (integers: exact).
-- grain: one row per café × service
-- check not_null: cafe_id, service, uses
-- check unique: cafe_id, service
-- check relationships: cafe_id -> stg_cafes.cafe_id
-- check expression: uses >= 0
select cafe_id, service, sum(uses)::BIGINT as uses, count(*)::BIGINT as lines
from service_uses
where date >= {{start}} and date < {{end}}
group by cafe_id, service
