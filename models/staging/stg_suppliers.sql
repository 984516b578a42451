-- Suppliers worked with during the period, with a position: their own coordinates, else their
-- commune's centroid. A supplier appearing in several lines keeps one row per café it supplies.
-- grain: one row per supplier (SIREN) × café
-- check not_null: siren, cafe_id, legal_form
-- check unique: siren, cafe_id
-- check relationships: cafe_id -> stg_cafes.cafe_id
with lines as (
    select * from suppliers where last_order_on >= {{start}} and last_order_on < {{end}}
),
positions_then as (
    select commune_insee, lat, lon from commune_positions
    where (_valid_from is null or _valid_from <= {{last}}) and (_valid_to is null or {{last}} < _valid_to)
),
per_cafe as (
    select siren, cafe_id,
        -- the latest line describes the supplier (name, legal form, place); ties broken by value
        first(name order by last_order_on desc, name) as name,
        first(legal_form order by last_order_on desc, legal_form) as legal_form,
        first(commune_insee order by last_order_on desc, commune_insee) as commune_insee,
        -- the position as one pair (never the latitude of one line with the longitude of another)
        first({'lat': lat, 'lon': lon} order by last_order_on desc, lat, lon) as pos,
        sum(CAST(spend_eur AS DECIMAL(18, 2))) as spend_eur,
        count(spend_eur) as spend_lines
    from lines group by siren, cafe_id
)
select s.siren, s.cafe_id, s.name, s.legal_form, s.commune_insee,
    coalesce(s.pos.lat, p.lat) as lat, coalesce(s.pos.lon, p.lon) as lon,
    case when s.pos.lat is not null then 'supplier' when p.lat is not null then 'commune' end as position_source,
    s.spend_eur, s.spend_lines
from per_cafe s left join positions_then p on p.commune_insee = s.commune_insee
