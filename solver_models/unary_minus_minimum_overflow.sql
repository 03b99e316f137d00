-- about: -b overflows integer at b = -2147483648 (an error in PostgreSQL), so the type minimum must be avoided
-- expect: satisfiable
-- classification: exact=1 string=0 opaque=0
CREATE TABLE t (
    b integer NOT NULL,
    CONSTRAINT b_sign CHECK (-b < 0 OR b < 0)
);
