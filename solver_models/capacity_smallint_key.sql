-- about: a key whose CHECK allows only 50 values: the table fills to 50 rows, not the 100 asked for
-- expect: satisfiable
-- capacity: public.seats=50
-- classification: exact=1 string=0 opaque=0
CREATE TABLE seats (
    n smallint PRIMARY KEY,
    label text,
    CONSTRAINT seat_range CHECK (n BETWEEN 1 AND 50)
);
