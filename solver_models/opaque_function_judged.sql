-- about: an opaque CHECK (a user function) that PostgreSQL judges on candidate rows; rejected rows are redrawn
-- expect: satisfiable
-- classification: exact=1 string=0 opaque=1
CREATE FUNCTION is_even(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n % 2 = 0 $$;
CREATE TABLE t (
    qty integer NOT NULL,
    CONSTRAINT qty_range CHECK (qty BETWEEN 0 AND 1000),
    CONSTRAINT qty_even CHECK (is_even(qty))
);
