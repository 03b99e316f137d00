-- about: overflow traps: a + b and a - b on smallint, c + 1 on integer overflow in PostgreSQL (an error, not a FALSE) at the type's bounds
-- expect: satisfiable
-- classification: exact=3 string=0 opaque=0
CREATE TABLE t (
    a smallint NOT NULL,
    b smallint NOT NULL,
    c integer NOT NULL,
    CONSTRAINT sum_positive CHECK (a + b > 0),
    CONSTRAINT difference_bounded CHECK (a - b < 30000),
    CONSTRAINT successor CHECK (c + 1 > c)
);
