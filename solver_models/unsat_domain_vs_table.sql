-- about: a domain CHECK and a table CHECK that cannot both hold (the error names both)
-- expect: unsatisfiable
-- conflict: public.t: public.percent.percent_range, score_high
-- classification: exact=2 string=0 opaque=0
CREATE DOMAIN percent AS integer NOT NULL CONSTRAINT percent_range CHECK (VALUE BETWEEN 0 AND 100);
CREATE TABLE t (
    score percent,
    CONSTRAINT score_high CHECK (score > 100)
);
