-- about: a text primary key whose regex language has exactly 20 words ([ab][0-9]): capacity 20
-- expect: satisfiable
-- capacity: public.t=20
-- classification: exact=0 string=1 opaque=0
CREATE TABLE t (
    code text PRIMARY KEY,
    CONSTRAINT code_language CHECK (code ~ '^[ab][0-9]$')
);
