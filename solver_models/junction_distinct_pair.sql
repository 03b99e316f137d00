-- about: a junction table whose two FKs may not point at the same row: 8 parents give 8*7 = 56 pairs
-- expect: satisfiable
-- capacity: public.node=8, public.edge=56
-- classification: exact=2 string=0 opaque=0
CREATE TABLE node (
    id smallint PRIMARY KEY,
    CONSTRAINT node_range CHECK (id BETWEEN 1 AND 8)
);
CREATE TABLE edge (
    a smallint NOT NULL REFERENCES node (id),
    b smallint NOT NULL REFERENCES node (id),
    PRIMARY KEY (a, b),
    CONSTRAINT no_self_loop CHECK (a <> b)
);
