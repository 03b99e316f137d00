-- about: real/double columns: a normal window, and a window narrower than 1e-4
-- expect: satisfiable
-- classification: exact=2 string=0 opaque=0
-- known-failure: floats are modelled as fixed point with 4 decimals (FLOAT_SCALE), so 0 < d < 0.00005 has no value and seeding raises UnsatisfiableError naming d_tiny
CREATE TABLE t (
    r real NOT NULL,
    d double precision NOT NULL,
    CONSTRAINT r_window CHECK (r > 0.1 AND r < 0.2),
    CONSTRAINT d_tiny CHECK (d > 0 AND d < 0.00005)
);
