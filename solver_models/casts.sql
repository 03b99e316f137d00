-- about: casts: integer to numeric, string literals to numbers/dates/enums, date to timestamp, text casts
-- expect: satisfiable
-- classification: exact=5 string=0 opaque=0
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t (
    qty integer NOT NULL,
    day date NOT NULL,
    mood mood NOT NULL,
    kind varchar(20) NOT NULL,
    price numeric(8, 2) NOT NULL,
    CONSTRAINT qty_as_numeric CHECK (qty::numeric > 0.5 AND qty < '1000'::integer),
    CONSTRAINT day_as_timestamp CHECK (day::timestamp >= '2000-01-01 00:00:00'::timestamp
                                       AND day < '2030-01-01'::date),
    CONSTRAINT mood_cast CHECK (mood >= 'ok'::mood),
    CONSTRAINT kind_as_text CHECK (kind::text <> 'none'::text),
    CONSTRAINT price_cast CHECK (CAST(price AS numeric(10, 2)) BETWEEN 1 AND 99.99)
);
