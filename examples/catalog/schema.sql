-- A small FraiseQL-style product catalog in the Trinity pattern:
--   pk_<entity>  identity primary key, id UUID (public identity), identifier (readable slug).
-- Seed it with: fraiseql-data seed examples/catalog/schema.sql --rows 1000
CREATE SCHEMA shop;

CREATE TYPE shop.product_state AS ENUM ('draft', 'published', 'discontinued');

CREATE DOMAIN shop.currency_code AS CHAR(3) CHECK (VALUE IN ('EUR', 'USD', 'GBP'));

CREATE TABLE shop.tb_brand (
    pk_brand INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE CHECK (identifier ~ '^[a-z][a-z0-9-]{2,30}$'),
    name TEXT NOT NULL CHECK (char_length(name) BETWEEN 2 AND 60),
    founded_year SMALLINT CHECK (founded_year BETWEEN 1850 AND 2025)
);

CREATE TABLE shop.tb_category (
    pk_category INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    fk_parent_category INTEGER REFERENCES shop.tb_category (pk_category),
    depth SMALLINT NOT NULL DEFAULT 0 CHECK (depth BETWEEN 0 AND 5),
    CONSTRAINT category_root_depth CHECK ((fk_parent_category IS NULL) = (depth = 0))
);

CREATE TABLE shop.tb_product (
    pk_product INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    identifier TEXT NOT NULL UNIQUE,
    fk_brand INTEGER NOT NULL REFERENCES shop.tb_brand (pk_brand),
    fk_category INTEGER NOT NULL REFERENCES shop.tb_category (pk_category),
    sku TEXT NOT NULL UNIQUE CHECK (sku ~ '^[A-Z]{3}-[0-9]{5}$'),
    state shop.product_state NOT NULL DEFAULT 'draft',
    weight_grams INTEGER NOT NULL CHECK (weight_grams > 0 AND weight_grams <= 50000),
    launched_on DATE,
    discontinued_on DATE,
    CONSTRAINT product_published_has_launch CHECK (state = 'draft' OR launched_on IS NOT NULL),
    CONSTRAINT product_discontinued_dates CHECK ((state = 'discontinued') = (discontinued_on IS NOT NULL)),
    CONSTRAINT product_dates_ordered CHECK (discontinued_on IS NULL OR discontinued_on > launched_on)
);

CREATE TABLE shop.tb_price (
    pk_price INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    fk_product INTEGER NOT NULL REFERENCES shop.tb_product (pk_product),
    currency shop.currency_code NOT NULL,
    valid_from DATE NOT NULL,
    amount NUMERIC(10, 2) NOT NULL CHECK (amount > 0),
    discount_pct SMALLINT NOT NULL DEFAULT 0 CHECK (discount_pct BETWEEN 0 AND 90),
    CONSTRAINT price_once_per_day UNIQUE (fk_product, currency, valid_from)
);
