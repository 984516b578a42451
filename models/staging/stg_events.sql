-- Events held during the period; programme '(none)' when the file gave none.
-- grain: one row per event
-- check not_null: event_id, cafe_id, attendance, programme
-- check unique: event_id
-- check relationships: cafe_id -> stg_cafes.cafe_id
-- check expression: attendance >= 0
select event_id, cafe_id, commune_insee, date, kind, attendance,
    association_ids, producer_ids, coalesce(programme, '(none)') as programme
from events
where date >= {{start}} and date < {{end}}
