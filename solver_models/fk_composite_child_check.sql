-- about: a composite FK whose child CHECK admits only some parent key tuples (a odd, b > a)
-- expect: satisfiable
-- classification: exact=2 string=0 opaque=0
CREATE TABLE p (
    a smallint NOT NULL,
    b smallint NOT NULL,
    PRIMARY KEY (a, b),
    CONSTRAINT p_range CHECK (a BETWEEN 1 AND 20 AND b BETWEEN 1 AND 20)
);
CREATE TABLE c (
    id integer PRIMARY KEY,
    a smallint NOT NULL,
    b smallint NOT NULL,
    FOREIGN KEY (a, b) REFERENCES p,
    CONSTRAINT c_odd CHECK (a % 2 = 1 AND b > a)
);
