-- about: enum comparisons follow the enum's declared order, not the labels' alphabetical order; enum IN lists
-- expect: satisfiable
-- classification: exact=4 string=0 opaque=0
CREATE TYPE severity AS ENUM ('low', 'medium', 'high', 'critical');
CREATE TABLE t (
    level severity NOT NULL,
    floor severity NOT NULL,
    escalated boolean NOT NULL,
    other severity,
    CONSTRAINT at_least_medium CHECK (level >= 'medium'),
    CONSTRAINT above_floor CHECK (level > floor),
    CONSTRAINT escalate_critical CHECK (escalated = (level = 'critical')),
    CONSTRAINT other_in CHECK (other IN ('low', 'high') AND other <> floor)
);
