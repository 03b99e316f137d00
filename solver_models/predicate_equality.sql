-- about: equality and inequality of predicates: (x IS NULL) = (kind = 'root'), (a > 0) <> flag
-- expect: satisfiable
-- classification: exact=2 string=0 opaque=0
CREATE TABLE t (
    kind text NOT NULL,
    parent integer,
    a integer NOT NULL,
    flag boolean NOT NULL,
    CONSTRAINT root_has_no_parent CHECK ((parent IS NULL) = (kind = 'root')),
    CONSTRAINT flag_is_nonpositive CHECK ((a > 0) <> flag)
);
