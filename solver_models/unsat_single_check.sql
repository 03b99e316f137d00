-- about: one self-contradictory CHECK on a NOT NULL column
-- expect: unsatisfiable
-- conflict: public.t: x_window
-- classification: exact=2 string=0 opaque=0
CREATE TABLE t (
    x integer NOT NULL,
    y integer,
    CONSTRAINT x_window CHECK (x > 5 AND x < 3),
    CONSTRAINT y_positive CHECK (y > 0)
);
