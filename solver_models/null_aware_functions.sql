-- about: COALESCE, NULLIF, LEAST and GREATEST (the last two ignore NULL arguments) over nullable columns
-- expect: satisfiable
-- classification: exact=5 string=0 opaque=0
CREATE TABLE t (
    parent integer,
    backup integer,
    qty integer NOT NULL,
    lo integer NOT NULL,
    hi integer NOT NULL,
    extra integer,
    CONSTRAINT coalesce_positive CHECK (coalesce(parent, backup, 1) > 0),
    CONSTRAINT nullif_zero CHECK (nullif(qty, 0) IS NULL OR qty > 0),
    CONSTRAINT nullif_value CHECK (nullif(qty, 7) <> 3),
    CONSTRAINT lo_hi_window CHECK (least(lo, hi) >= -500 AND greatest(lo, hi) <= 500),
    CONSTRAINT extra_bounded CHECK (greatest(lo, extra, 0) < 400)
);
