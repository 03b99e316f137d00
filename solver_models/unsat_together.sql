-- about: three CHECKs, each satisfiable and each pair satisfiable, that conflict only together
-- expect: unsatisfiable
-- conflict: public.t: a_lt_b, b_lt_c, c_lt_a
-- classification: exact=4 string=0 opaque=0
CREATE TABLE t (
    a integer NOT NULL,
    b integer NOT NULL,
    c integer NOT NULL,
    d integer NOT NULL,
    CONSTRAINT a_lt_b CHECK (a < b),
    CONSTRAINT b_lt_c CHECK (b < c),
    CONSTRAINT c_lt_a CHECK (c < a),
    CONSTRAINT d_free CHECK (d > a)
);
