-- about: three-valued trap: x > 0 OR y > 0 with nullable y passes when x > 0 or y IS NULL
-- expect: satisfiable
-- classification: exact=2 string=0 opaque=0
CREATE TABLE t (
    x integer NOT NULL,
    y integer,
    CONSTRAINT one_positive CHECK (x > 0 OR y > 0),
    CONSTRAINT x_nonpositive CHECK (x <= 0)
);
