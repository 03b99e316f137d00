-- about: num_nulls and num_nonnulls: exactly one of several nullable references is set
-- expect: satisfiable
-- classification: exact=2 string=0 opaque=0
CREATE TABLE t (
    a integer,
    b integer,
    c text,
    d integer,
    e integer,
    CONSTRAINT exactly_one CHECK (num_nonnulls(a, b, c) = 1),
    CONSTRAINT at_most_one_null CHECK (num_nulls(d, e) <= 1)
);
