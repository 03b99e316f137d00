-- about: IN, NOT IN, = ANY (ARRAY[...]) and <> ALL (ARRAY[...]) on text and integers
-- expect: satisfiable
-- classification: exact=4 string=0 opaque=0
CREATE TABLE t (
    kind text NOT NULL,
    qty integer NOT NULL,
    code text,
    size integer,
    CONSTRAINT kind_in CHECK (kind IN ('site', 'building', 'room')),
    CONSTRAINT qty_not_in CHECK (qty NOT IN (1, 2, 3) AND qty BETWEEN 0 AND 6),
    CONSTRAINT code_any CHECK (code = ANY (ARRAY['a', 'b', 'c'])),
    CONSTRAINT size_all CHECK (size <> ALL (ARRAY[0, 10, 20]) AND size >= 0 AND size <= 20)
);
