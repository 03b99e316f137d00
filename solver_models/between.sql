-- about: BETWEEN, NOT BETWEEN and BETWEEN SYMMETRIC (bounds given high-first)
-- expect: satisfiable
-- classification: exact=3 string=0 opaque=0
CREATE TABLE t (
    score smallint NOT NULL,
    qty integer NOT NULL,
    temp integer,
    CONSTRAINT score_between CHECK (score BETWEEN 1 AND 100),
    CONSTRAINT qty_symmetric CHECK (qty BETWEEN SYMMETRIC 500 AND 0),
    CONSTRAINT temp_not_between CHECK (temp NOT BETWEEN -10 AND 10)
);
