-- about: date + INTERVAL '1 month' on a column is opaque (month lengths vary): PostgreSQL judges candidates, most pass
-- expect: satisfiable
-- classification: exact=1 string=0 opaque=1
CREATE TABLE t (
    starts date NOT NULL,
    ends date NOT NULL,
    CONSTRAINT ordered CHECK (ends > starts),
    CONSTRAINT within_month CHECK (ends <= starts + INTERVAL '1 month')
);
