-- about: domain CHECKs over VALUE (numeric, text pattern, NOT NULL domain, a domain over a domain) next to table CHECKs
-- expect: satisfiable
-- classification: exact=6 string=1 opaque=0
CREATE DOMAIN percent AS integer CHECK (VALUE BETWEEN 0 AND 100);
CREATE DOMAIN code AS text NOT NULL CHECK (VALUE ~ '^[A-Z]{2}-[0-9]{3}$');
CREATE DOMAIN even_small AS smallint CHECK (VALUE % 2 = 0) CHECK (VALUE > 0);
CREATE DOMAIN small_percent AS percent CHECK (VALUE < 10);
CREATE TABLE t (
    share percent,
    ref code,
    n even_small NOT NULL,
    low small_percent,
    CONSTRAINT n_below_share CHECK (n < share)
);
