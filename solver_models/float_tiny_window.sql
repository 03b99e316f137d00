-- about: real/double columns: a normal window, and a window narrower than 1e-4
-- expect: satisfiable
-- classification: exact=2 string=0 opaque=0
CREATE TABLE t (
    r real NOT NULL,
    d double precision NOT NULL,
    CONSTRAINT r_window CHECK (r > 0.1 AND r < 0.2),
    CONSTRAINT d_tiny CHECK (d > 0 AND d < 0.00005)
);
