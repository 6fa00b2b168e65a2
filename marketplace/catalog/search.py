"""Full-text search: French stemming and accent folding on PostgreSQL."""

SEARCH_DDL = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION products_search_vector_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('french_unaccent', coalesce(NEW.name, '')), 'A') ||
        setweight(to_tsvector('french_unaccent', coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector('french_unaccent', coalesce(NEW.origin, '')), 'C') ||
        setweight(to_tsvector('french_unaccent', coalesce(NEW.description, '')), 'D');
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS products_search_vector_trigger ON products",
    """
    CREATE TRIGGER products_search_vector_trigger
      BEFORE INSERT OR UPDATE OF name, summary, origin, description ON products
      FOR EACH ROW EXECUTE FUNCTION products_search_vector_update()
    """,
)
