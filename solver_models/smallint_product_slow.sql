-- about: a product and a sum of two smallint columns together: correct, but narrowing the domains is a performance cliff
-- expect: satisfiable
-- classification: exact=2 string=0 opaque=0
-- slow: narrowing (min/max of each column under a + b > 0 and a * b > -1000) runs CP-SAT to its work limit four times, ~36 s
CREATE TABLE t (
    a smallint NOT NULL,
    b smallint NOT NULL,
    CONSTRAINT sum_positive CHECK (a + b > 0),
    CONSTRAINT product_bounded CHECK (a * b > -1000)
);
