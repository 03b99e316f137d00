-- about: a nullable column made NOT NULL by a CHECK, then given an empty range
-- expect: unsatisfiable
-- conflict: public.t: x_required, x_low, x_high
-- classification: exact=3 string=0 opaque=0
CREATE TABLE t (
    x integer,
    CONSTRAINT x_required CHECK (x IS NOT NULL),
    CONSTRAINT x_low CHECK (x < 10),
    CONSTRAINT x_high CHECK (x > 20)
);
