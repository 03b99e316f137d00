-- about: octet_length counts bytes, not characters ('é' is two bytes in UTF-8): opaque, judged by PostgreSQL on candidates from the pattern
-- expect: satisfiable
-- classification: exact=0 string=1 opaque=1
CREATE TABLE t (
    name text NOT NULL,
    CONSTRAINT name_letters CHECK (name ~ '^[éa-z]{2,4}$'),
    CONSTRAINT name_bytes CHECK (octet_length(name) = 4)
);
