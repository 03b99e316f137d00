-- about: comparisons of a column with constants (every operator, holes, ranges) and of columns with each other (a chain through a nullable column)
-- expect: satisfiable
-- classification: exact=6 string=0 opaque=0
CREATE TABLE t (
    qty integer NOT NULL,
    price integer,
    grade smallint NOT NULL,
    lo integer NOT NULL,
    mid integer,
    hi integer NOT NULL,
    CONSTRAINT qty_range CHECK (qty >= 10 AND qty <= 1000 AND qty <> 13),
    CONSTRAINT price_outside CHECK (price < 0 OR price > 100),
    CONSTRAINT grade_exact CHECK (grade = 7 OR 3 > grade),
    CONSTRAINT lo_lt_mid CHECK (lo < mid),
    CONSTRAINT mid_le_hi CHECK (mid <= hi),
    CONSTRAINT hi_ne_lo CHECK (hi <> lo)
);
