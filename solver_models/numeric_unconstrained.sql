-- about: numeric without a typmod stores any scale: a CHECK needing three decimals is satisfiable
-- expect: satisfiable
-- classification: exact=1 string=0 opaque=0
-- known-failure: unconstrained numeric is encoded with an assumed scale of 2 (NUMERIC_DEFAULT), so 0.001 <= x <= 0.009 has no value and seeding raises UnsatisfiableError naming x_tiny
CREATE TABLE t (
    x numeric NOT NULL,
    CONSTRAINT x_tiny CHECK (x BETWEEN 0.001 AND 0.009)
);
