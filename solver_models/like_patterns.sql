-- about: LIKE, ILIKE and NOT LIKE patterns with %, _ and backslash-escaped wildcards
-- expect: satisfiable
-- classification: exact=0 string=5 opaque=0
CREATE TABLE t (
    email text NOT NULL,
    sku text NOT NULL,
    note text,
    code text NOT NULL,
    pct text NOT NULL,
    CONSTRAINT email_like CHECK (email LIKE '%_@_%._%'),
    CONSTRAINT sku_ilike CHECK (sku ILIKE 'sku-___'),
    CONSTRAINT note_not_like CHECK (note NOT LIKE 'x%'),
    CONSTRAINT code_escaped CHECK (code LIKE 'a\_%'),
    CONSTRAINT pct_escaped CHECK (pct LIKE '%\%')
);
