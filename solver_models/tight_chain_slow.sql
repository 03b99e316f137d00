-- about: three integer columns in a strict chain within a gap of 10: random draws rarely fit, rows are repaired one by one
-- expect: satisfiable
-- classification: exact=3 string=0 opaque=0
-- slow: 64 rows are repaired one CP-SAT solve at a time (~0.13 s each), ~9-12 s for 100 rows
CREATE TABLE t (
    lo integer NOT NULL,
    mid integer NOT NULL,
    hi integer NOT NULL,
    CONSTRAINT lo_lt_mid CHECK (lo < mid),
    CONSTRAINT mid_le_hi CHECK (mid <= hi),
    CONSTRAINT gap_bounded CHECK (hi <= lo + 10)
);
