-- about: timestamp arithmetic with now(), CURRENT_TIMESTAMP and intervals; dates compared with timestamps
-- expect: satisfiable
-- classification: exact=4 string=0 opaque=0
CREATE TABLE t (
    created_at timestamptz NOT NULL,
    updated_at timestamptz,
    due timestamp NOT NULL,
    day date NOT NULL,
    CONSTRAINT created_recent CHECK (created_at <= now() AND created_at > CURRENT_TIMESTAMP - INTERVAL '30 days'),
    CONSTRAINT updated_after CHECK (updated_at >= created_at + INTERVAL '1 hour'
                                    AND updated_at <= created_at + INTERVAL '2 days 03:00:00'),
    CONSTRAINT due_window CHECK (due > TIMESTAMP '2020-01-01 00:00:00' AND due < '2020-01-02 12:00:00'),
    CONSTRAINT due_on_day CHECK (due >= day AND due < day + 1)
);
