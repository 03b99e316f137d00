-- about: lower(), upper() and btrim() of a column compared with literals
-- expect: satisfiable
-- classification: exact=3 string=0 opaque=0
CREATE TABLE t (
    kind text NOT NULL,
    code text NOT NULL,
    tag text NOT NULL,
    CONSTRAINT kind_not_depot CHECK (lower(kind) <> 'depot'),
    CONSTRAINT code_upper CHECK (upper(code) IN ('AB', 'CD', 'EF')),
    CONSTRAINT tag_not_blank CHECK (btrim(tag) <> '')
);
