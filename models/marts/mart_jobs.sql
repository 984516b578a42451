-- Jobs created besides the managers: contracts of employees, apprentices and others overlapping
-- the period, with their FTE × days worked in it (averaged over the period's days in figures).
-- grain: one row per contract
-- check not_null: cafe_id, person_key, contract, fte_days
-- check unique: cafe_id, person_key, start_on
-- check expression: fte_days >= 0
select cafe_id, person_key, start_on, role, contract,
    CAST(fte AS DECIMAL(9, 4)) * days_in_period as fte_days
from stg_staff
where role <> 'manager'
