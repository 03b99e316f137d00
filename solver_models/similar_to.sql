-- about: SIMILAR TO, which PostgreSQL stores as ~ similar_to_escape('...')
-- expect: satisfiable
-- classification: exact=0 string=2 opaque=0
CREATE TABLE t (
    phone text NOT NULL,
    code text,
    CONSTRAINT phone_similar CHECK (phone SIMILAR TO '\+[0-9]{6,12}'),
    CONSTRAINT code_similar CHECK (code SIMILAR TO '(ab|cd)%')
);
