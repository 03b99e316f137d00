-- about: three-valued trap: NOT (a = 'x') with nullable a is NULL (passes) for NULL a
-- expect: satisfiable
-- classification: exact=3 string=0 opaque=0
CREATE TABLE t (
    a text,
    b integer,
    c text NOT NULL,
    CONSTRAINT a_not_x CHECK (NOT (a = 'x')),
    CONSTRAINT a_set CHECK (a IN ('x', 'y')),
    CONSTRAINT b_not_one CHECK (NOT (b = 1) AND c IN ('p', 'q'))
);
