-- about: numeric(p,s): scaled integers, precision limits and decimal boundaries
-- expect: satisfiable
-- classification: exact=3 string=0 opaque=0
CREATE TABLE t (
    price numeric(5, 2) NOT NULL,
    rate numeric(4, 3),
    total numeric(7, 2) NOT NULL,
    CONSTRAINT price_range CHECK (price > 0.05 AND price <= 999.99),
    CONSTRAINT rate_fraction CHECK (rate >= 0 AND rate < 1),
    CONSTRAINT total_covers CHECK (total >= price * 2 + 0.01)
);
