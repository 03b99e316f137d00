-- about: time-of-day columns: string literals as times, time + interval
-- expect: satisfiable
-- classification: exact=2 string=0 opaque=0
CREATE TABLE t (
    opens time NOT NULL,
    closes time NOT NULL,
    CONSTRAINT office CHECK (opens BETWEEN '08:00' AND '10:00'),
    CONSTRAINT long_day CHECK (closes > opens + INTERVAL '4 hours')
);
