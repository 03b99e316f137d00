-- about: a multi-column UNIQUE over a boolean and a 3-label enum allows exactly 6 rows
-- expect: satisfiable
-- capacity: public.t=6
-- classification: exact=0 string=0 opaque=0
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE t (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    flag boolean NOT NULL,
    mood mood NOT NULL,
    CONSTRAINT flag_mood_unique UNIQUE (flag, mood)
);
