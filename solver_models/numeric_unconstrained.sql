-- about: numeric without a typmod stores any scale: a CHECK needing three decimals is satisfiable
-- expect: satisfiable
-- classification: exact=1 string=0 opaque=0
CREATE TABLE t (
    x numeric NOT NULL,
    CONSTRAINT x_tiny CHECK (x BETWEEN 0.001 AND 0.009)
);
