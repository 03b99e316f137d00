-- about: a CHECK over a stored generated column: the inputs must be chosen so the computed value passes
-- expect: satisfiable
-- classification: exact=1 string=0 opaque=0
CREATE TABLE t (
    a integer NOT NULL,
    b integer NOT NULL,
    total integer GENERATED ALWAYS AS (a + b) STORED,
    CONSTRAINT total_small CHECK (total BETWEEN 0 AND 100)
);
