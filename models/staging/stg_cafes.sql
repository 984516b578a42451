-- The cafés as they were at the period's end (reference versions valid on its last day), with
-- their commune, department, region and a position: their own coordinates, else their
-- commune's centroid (position_source says which; null when neither is known).
-- grain: one row per café
-- check not_null: cafe_id, name, commune_insee, department, region, model, stage
-- check unique: cafe_id
-- check expression: position_source IS NULL OR (lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180)
with cafes_then as (
    select * from cafes
    where (_valid_from is null or _valid_from <= {{last}}) and (_valid_to is null or {{last}} < _valid_to)
),
positions_then as (
    select commune_insee, lat, lon from commune_positions
    where (_valid_from is null or _valid_from <= {{last}}) and (_valid_to is null or {{last}} < _valid_to)
),
joined as (
    select
        c.cafe_id, c.name, c.commune_insee, rc.name as commune_name,
        rc.department, d.name as department_name, rc.region, r.name as region_name,
        c.model, c.stage, c.opened_on, c.closed_on,
        coalesce(c.lat, p.lat) as lat,
        coalesce(c.lon, p.lon) as lon,
        case when c.lat is not null then 'cafe' when p.lat is not null then 'commune' end as position_source
    from cafes_then c
    join ref_communes rc on rc.code = c.commune_insee
    left join ref_departments d on d.code = rc.department
    left join ref_regions r on r.code = rc.region
    left join positions_then p on p.commune_insee = c.commune_insee
)
select * from joined
