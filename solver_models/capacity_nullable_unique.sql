-- about: UNIQUE over 5 values: NULLs are distinct, so a nullable column takes all 100 rows; NULLS NOT DISTINCT allows 5 values + one NULL
-- expect: satisfiable
-- capacity: public.b=6
-- classification: exact=2 string=0 opaque=0
CREATE TABLE a (
    n smallint UNIQUE,
    CONSTRAINT a_range CHECK (n BETWEEN 1 AND 5)
);
CREATE TABLE b (
    n smallint,
    CONSTRAINT b_range CHECK (n BETWEEN 1 AND 5),
    CONSTRAINT b_unique UNIQUE NULLS NOT DISTINCT (n)
);
