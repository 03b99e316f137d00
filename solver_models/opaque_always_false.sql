-- about: an opaque CHECK no row can pass: PostgreSQL rejects every candidate, the error names it (few rows: the judge's redraws grow as rows/pass-rate)
-- expect: unsatisfiable
-- conflict: public.t: never
-- rows: 3
-- classification: exact=0 string=0 opaque=1
CREATE FUNCTION nope(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT false $$;
CREATE TABLE t (
    qty integer NOT NULL,
    CONSTRAINT never CHECK (nope(qty))
);
