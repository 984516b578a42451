-- Employment contracts overlapping the period (the contract list as known at the period's end),
-- with the days of the period each covers. end_on is the contract's last day (inclusive).
-- grain: one row per contract (café × person × start)
-- check not_null: cafe_id, person_key, start_on, role, contract, fte, days_in_period
-- check unique: cafe_id, person_key, start_on
-- check relationships: cafe_id -> stg_cafes.cafe_id
-- check expression: days_in_period BETWEEN 1 AND {{days}}
with contracts as (
    select * from staff
    where (_valid_from is null or _valid_from <= {{last}}) and (_valid_to is null or {{last}} < _valid_to)
),
overlap as (
    select *,
        greatest(start_on, {{start}}) as from_day,
        least(coalesce(end_on + 1, {{end}}), {{end}}) as to_day_excl
    from contracts
)
select cafe_id, person_key, start_on, end_on, role, contract, fte,
    date_diff('day', from_day, to_day_excl)::BIGINT as days_in_period
from overlap
where to_day_excl > from_day
