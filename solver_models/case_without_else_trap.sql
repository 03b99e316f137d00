-- about: three-valued trap: CASE without ELSE yields NULL, and a NULL CHECK passes
-- expect: satisfiable
-- classification: exact=2 string=0 opaque=0
CREATE TABLE t (
    a integer NOT NULL,
    b integer NOT NULL,
    CONSTRAINT b_above_when_big CHECK (CASE WHEN a > 5 THEN b > a END),
    CONSTRAINT value_without_else CHECK (CASE WHEN a < 0 THEN b END > 0)
);
