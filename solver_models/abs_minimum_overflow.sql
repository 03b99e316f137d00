-- about: abs(-32768) overflows smallint (an error in PostgreSQL), so the type minimum must be avoided
-- expect: satisfiable
-- classification: exact=1 string=0 opaque=0
CREATE TABLE t (
    a smallint NOT NULL,
    CONSTRAINT a_abs CHECK (abs(a) >= 0)
);
