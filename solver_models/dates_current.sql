-- about: date arithmetic: CURRENT_DATE, date +/- integer, date - date, date - interval
-- expect: satisfiable
-- classification: exact=3 string=0 opaque=0
CREATE TABLE t (
    born date NOT NULL,
    starts date NOT NULL,
    ends date NOT NULL,
    CONSTRAINT adult CHECK (born > DATE '1900-01-01' AND born <= CURRENT_DATE - INTERVAL '18 years'),
    CONSTRAINT ends_after CHECK (ends > starts AND ends <= starts + 365),
    CONSTRAINT span CHECK (ends - starts >= 7 AND starts >= CURRENT_DATE - 30)
);
