-- about: IS NULL / IS NOT NULL (a nullable column forced non-null by a CHECK), IS DISTINCT FROM and IS NOT DISTINCT FROM
-- expect: satisfiable
-- classification: exact=6 string=0 opaque=0
CREATE TABLE t (
    a integer,
    b integer,
    c text,
    lo integer,
    hi integer,
    parent integer,
    CONSTRAINT a_required CHECK (a IS NOT NULL),
    CONSTRAINT one_of CHECK (b IS NULL OR c IS NULL),
    CONSTRAINT b_positive CHECK (b IS NULL OR b > 0),
    CONSTRAINT lo_hi_differ CHECK (lo IS DISTINCT FROM hi),
    CONSTRAINT parent_not_zero CHECK (NOT (parent IS NOT DISTINCT FROM 0)),
    CONSTRAINT parent_follows_lo CHECK (parent IS NOT DISTINCT FROM lo OR parent > 100)
);
