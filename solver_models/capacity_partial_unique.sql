-- about: a partial unique index (WHERE active): only active rows need distinct codes, inactive rows are unlimited
-- expect: satisfiable
-- classification: exact=1 string=0 opaque=0
-- known-failure: the partial index's predicate is ignored for capacity: the table is filled to 3 rows (the code range) instead of 100
CREATE TABLE t (
    code smallint NOT NULL,
    active boolean NOT NULL,
    CONSTRAINT code_range CHECK (code BETWEEN 1 AND 3)
);
CREATE UNIQUE INDEX t_active_code ON t (code) WHERE active;
