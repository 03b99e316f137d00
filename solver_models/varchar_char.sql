-- about: varchar(n) and char(n) (blank-padded) with literal sets and length CHECKs that reach the limit
-- expect: satisfiable
-- classification: exact=1 string=2 opaque=0
CREATE TABLE t (
    country char(2) NOT NULL,
    label varchar(5) NOT NULL,
    flag char(3),
    CONSTRAINT country_set CHECK (country IN ('DE', 'FR', 'US')),
    CONSTRAINT label_long CHECK (char_length(label) >= 4),
    CONSTRAINT flag_pattern CHECK (flag LIKE 'X%')
);
