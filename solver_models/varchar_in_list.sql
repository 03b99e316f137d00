-- about: IN over a varchar column, which PostgreSQL stores as (kind)::text = ANY ((ARRAY['a'::character varying, ...])::text[])
-- expect: satisfiable
-- classification: exact=1 string=0 opaque=0
-- rows: 3
CREATE TABLE t (
    kind varchar(8) NOT NULL,
    CONSTRAINT kind_set CHECK (kind IN ('site', 'building', 'room'))
);
