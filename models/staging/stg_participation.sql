-- Participation in the co-construction of cafés during the period.
-- grain: one row per participation line
-- check not_null: cafe_id, person_key, role, activity
-- check relationships: cafe_id -> stg_cafes.cafe_id
select cafe_id, date, activity, person_key, role
from participation
where date >= {{start}} and date < {{end}}
