-- about: an opaque domain CHECK is not judged before COPY: with allow_opaque, PostgreSQL rejects rows and the run rolls back
-- expect: rejected
-- classification: exact=0 string=0 opaque=1
CREATE FUNCTION is_even(n integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT n % 2 = 0 $$;
CREATE DOMAIN even AS integer NOT NULL CHECK (is_even(VALUE));
CREATE TABLE t (
    n even
);
