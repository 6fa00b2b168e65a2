"""Full-text search: French stemming and accent folding on PostgreSQL, folded LIKE on SQLite.

On PostgreSQL a trigger keeps `products.search_vector` (name A; summary and category B;
origin, Vendor name and town C; description D) and `vendors.search_vector` up to date, so a
search for "miel montagne" finds the honey of the Montagne Noire apiary. Renaming a Vendor or
a Category refreshes its Products' vectors. Queries go through `websearch_to_tsquery`, which
accepts any text a person can type without a syntax error.

The embedded SQLite hub (`make run`) has no text search: a `fold()` SQL function (lower case,
accents removed) registered on every SQLite connection lets each word match anywhere in the
name, summary, Vendor or Category.
"""
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import reduce

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    event,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.engine import Engine

from marketplace.vendors.models import Vendor, VendorStatus

from .models import Category, Product, ProductStatus

#: Longer queries are cut: nobody types more, and the rest would only slow the search down.
MAX_QUERY_LENGTH = 100
#: Words of a query that count towards ranking.
MAX_RANKED_WORDS = 12

_FRENCH_UNACCENT = literal_column("'french_unaccent'::regconfig")

SEARCH_DDL = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # Trigram similarity and edit distance, for "Did you mean" (spelling_suggestion).
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch",
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
    CREATE OR REPLACE FUNCTION product_search_document(
      product_name text, product_summary text, product_origin text, product_description text,
      product_vendor_id integer, product_category_id integer
    ) RETURNS tsvector AS $$
      SELECT
        setweight(to_tsvector('french_unaccent', coalesce(product_name, '')), 'A') ||
        setweight(to_tsvector('french_unaccent', concat_ws(' ', product_summary,
          (SELECT concat_ws(' ', c.name, c.name_en) FROM categories c
            WHERE c.id = product_category_id))), 'B') ||
        setweight(to_tsvector('french_unaccent', concat_ws(' ', product_origin,
          (SELECT concat_ws(' ', v.name, v.town) FROM vendors v
            WHERE v.id = product_vendor_id))), 'C') ||
        setweight(to_tsvector('french_unaccent', coalesce(product_description, '')), 'D')
    $$ LANGUAGE sql STABLE
    """,
    """
    CREATE OR REPLACE FUNCTION vendor_search_document(
      vendor_name text, vendor_tagline text, vendor_town text, vendor_story text
    ) RETURNS tsvector AS $$
      SELECT
        setweight(to_tsvector('french_unaccent', coalesce(vendor_name, '')), 'A') ||
        setweight(to_tsvector('french_unaccent',
          concat_ws(' ', vendor_tagline, vendor_town)), 'B') ||
        setweight(to_tsvector('french_unaccent', coalesce(vendor_story, '')), 'D')
    $$ LANGUAGE sql STABLE
    """,
    """
    CREATE OR REPLACE FUNCTION products_search_vector_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector := product_search_document(
        NEW.name, NEW.summary, NEW.origin, NEW.description, NEW.vendor_id, NEW.category_id);
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS products_search_vector_trigger ON products",
    """
    CREATE TRIGGER products_search_vector_trigger
      BEFORE INSERT OR UPDATE OF name, summary, origin, description, vendor_id, category_id
      ON products
      FOR EACH ROW EXECUTE FUNCTION products_search_vector_update()
    """,
    """
    CREATE OR REPLACE FUNCTION vendors_search_vector_update() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector := vendor_search_document(NEW.name, NEW.tagline, NEW.town, NEW.story);
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS vendors_search_vector_trigger ON vendors",
    """
    CREATE TRIGGER vendors_search_vector_trigger
      BEFORE INSERT OR UPDATE OF name, tagline, town, story ON vendors
      FOR EACH ROW EXECUTE FUNCTION vendors_search_vector_update()
    """,
    """
    CREATE OR REPLACE FUNCTION products_search_vector_refresh_for_owner() RETURNS trigger AS $$
    BEGIN
      -- Products carry their Vendor's and Category's names in their own vector.
      UPDATE products SET search_vector = product_search_document(
          name, summary, origin, description, vendor_id, category_id)
        WHERE (TG_TABLE_NAME = 'vendors' AND vendor_id = NEW.id)
           OR (TG_TABLE_NAME = 'categories' AND category_id = NEW.id);
      RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS vendors_refresh_products_search_trigger ON vendors",
    """
    CREATE TRIGGER vendors_refresh_products_search_trigger
      AFTER UPDATE OF name, town ON vendors
      FOR EACH ROW
      WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.town IS DISTINCT FROM NEW.town)
      EXECUTE FUNCTION products_search_vector_refresh_for_owner()
    """,
    "DROP TRIGGER IF EXISTS categories_refresh_products_search_trigger ON categories",
    """
    CREATE TRIGGER categories_refresh_products_search_trigger
      AFTER UPDATE OF name, name_en ON categories
      FOR EACH ROW
      WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.name_en IS DISTINCT FROM NEW.name_en)
      EXECUTE FUNCTION products_search_vector_refresh_for_owner()
    """,
    # Rows written before these triggers existed (an upgraded database) get their vectors now.
    """
    UPDATE vendors SET search_vector = vendor_search_document(name, tagline, town, story)
      WHERE search_vector IS NULL
    """,
    """
    UPDATE products SET search_vector = product_search_document(
        name, summary, origin, description, vendor_id, category_id)
      WHERE search_vector IS NULL
    """,
)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What a visitor typed, made safe to search with."""

    text: str
    was_truncated: bool = False

    @property
    def is_empty(self) -> bool:
        """True when nothing searchable is left (blank, or only punctuation such as `'&|!:*`)."""
        return not any(character.isalnum() for character in self.text)


def normalize_query(raw: str | None) -> SearchQuery:
    """Drop control characters (PostgreSQL refuses NUL), squeeze spaces, cut very long text."""
    printable = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    text = " ".join(printable.split())
    if len(text) <= MAX_QUERY_LENGTH:
        return SearchQuery(text)
    return SearchQuery(text[:MAX_QUERY_LENGTH].rstrip(), was_truncated=True)


def fold_text(value: str | None) -> str | None:
    """Lower case without accents or ligatures: "Chèvre Bœuf" -> "chevre boeuf"."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value.replace("œ", "oe").replace("Œ", "OE"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@event.listens_for(Engine, "connect")
def _register_sqlite_fold(dbapi_connection: object, connection_record: object) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("fold", 1, fold_text, deterministic=True)


def _sqlite_terms(query: SearchQuery) -> list[str]:
    """Folded words, with a plural "s"/"x" dropped so that "chaussettes" finds "chaussette"."""
    words = re.findall(r"\w+", fold_text(query.text) or "")
    return [word[:-1] if len(word) > 3 and word[-1] in "sx" else word for word in words]


def _folded(column: ColumnElement[str]) -> ColumnElement[str]:
    return func.fold(column, type_=String)


def _words_in(column: ColumnElement[str], terms: list[str]) -> ColumnElement[int]:
    """How many of the words appear in `column`: the SQLite stand-in for a ranking."""
    found = [case((_folded(column).contains(term, autoescape=True), 1), else_=0) for term in terms]
    return reduce(lambda left, right: left + right, found, literal(0))


def _postgresql_match(
    vector: ColumnElement, query: SearchQuery
) -> tuple[ColumnElement[bool], ColumnElement]:
    """Match with the whole query (quotes, OR, -word allowed); rank word by word.

    ts_rank of an AND query scores how close the words sit in the document, which is noise
    here (a document glued from name, Vendor and description); ranked as an OR of its words,
    each match counts by the weight of where it was found, so a word in the name wins.
    """
    words = re.findall(r"\w+", query.text)[:MAX_RANKED_WORDS]
    any_word = reduce(
        lambda left, right: left.op("||")(right),
        [func.plainto_tsquery(_FRENCH_UNACCENT, word) for word in words],
    )
    matches = vector.op("@@")(func.websearch_to_tsquery(_FRENCH_UNACCENT, query.text))
    return matches, func.ts_rank(vector, any_word)


def product_match(query: SearchQuery, dialect: str) -> tuple[ColumnElement[bool], ColumnElement]:
    """WHERE clause and relevance (higher is better) for Products matching `query`."""
    if dialect == "postgresql":
        return _postgresql_match(Product.search_vector, query)
    terms = _sqlite_terms(query)
    clauses = []
    for term in terms:
        vendor_ids = select(Vendor.id).where(
            or_(
                _folded(Vendor.name).contains(term, autoescape=True),
                _folded(Vendor.town).contains(term, autoescape=True),
            )
        )
        category_ids = select(Category.id).where(
            _folded(Category.name).contains(term, autoescape=True)
        )
        clauses.append(
            or_(
                _folded(Product.name).contains(term, autoescape=True),
                _folded(Product.summary).contains(term, autoescape=True),
                _folded(Product.origin).contains(term, autoescape=True),
                Product.vendor_id.in_(vendor_ids),
                Product.category_id.in_(category_ids),
            )
        )
    return and_(*clauses), _words_in(Product.name, terms)


def vendor_match(query: SearchQuery, dialect: str) -> tuple[ColumnElement[bool], ColumnElement]:
    """WHERE clause and relevance (higher is better) for Vendors matching `query`."""
    if dialect == "postgresql":
        return _postgresql_match(Vendor.search_vector, query)
    terms = _sqlite_terms(query)
    clauses = [
        or_(
            _folded(Vendor.name).contains(term, autoescape=True),
            _folded(Vendor.tagline).contains(term, autoescape=True),
            _folded(Vendor.town).contains(term, autoescape=True),
        )
        for term in terms
    ]
    return and_(*clauses), _words_in(Vendor.name, terms)


# --- "Did you mean …": the closest words the shop knows ---------------------------------------

#: Words shorter than this are left as typed: "de", "en", "la" have too many neighbours.
_SHORTEST_CORRECTED_WORD = 3
#: Most words of a query looked up: the rest are kept as typed.
_MOST_CORRECTED_WORDS = 5


def _allowed_edits(word: str) -> int:
    """Two edits from four letters on: a swapped pair ("mile" -> "miel") costs two."""
    return 2 if len(word) > 3 else 0


def _vocabulary_statement():  # noqa: ANN202  (a Select of lower-cased words, accents kept)
    """Every word of the public Products' names and summaries, the Categories, the approved
    Vendors' names and towns."""
    def words(*columns: ColumnElement) -> ColumnElement[str]:
        return func.regexp_split_to_table(
            func.lower(func.concat_ws(" ", *columns)), r"[[:space:][:punct:]]+"
        ).label("word")

    approved = Vendor.status == VendorStatus.APPROVED
    sources = (
        select(words(Product.name, Product.summary))
        .join(Vendor, Vendor.id == Product.vendor_id)
        .where(Product.status == ProductStatus.ACTIVE, approved),
        select(words(Category.name, Category.name_en)),
        select(words(Vendor.name, Vendor.town)).where(approved),
    )
    return sources[0].union(*sources[1:]).subquery("vocabulary")


def _closest_word_postgresql(session, word: str) -> str | None:  # noqa: ANN001
    vocabulary = _vocabulary_statement()
    candidate = vocabulary.c.word
    folded = func.unaccent(candidate)
    distance = func.levenshtein_less_equal(folded, word, _allowed_edits(word))
    statement = (
        select(candidate)
        .where(func.length(candidate) >= _SHORTEST_CORRECTED_WORD)
        .where(or_(distance <= _allowed_edits(word), candidate.op("%")(word)))
        .order_by(distance, func.similarity(folded, word).desc(), candidate)
        .limit(1)
    )
    return session.scalar(statement)


def _closest_word_sqlite(session, word: str) -> str | None:  # noqa: ANN001
    """The embedded hub: the same vocabulary read whole, ranked by difflib."""
    import difflib  # noqa: PLC0415

    rows = session.execute(
        select(Product.name, Product.summary)
        .join(Vendor, Vendor.id == Product.vendor_id)
        .where(Product.status == ProductStatus.ACTIVE, Vendor.status == VendorStatus.APPROVED)
        .union_all(select(Category.name, Category.name_en),
                   select(Vendor.name, Vendor.town).where(Vendor.status == VendorStatus.APPROVED))
    )
    vocabulary = {w for row in rows for w in re.findall(r"\w+", " ".join(filter(None, row)).lower())
                  if len(w) >= _SHORTEST_CORRECTED_WORD}
    by_folded = {fold_text(w): w for w in sorted(vocabulary)}
    if word in by_folded:
        return by_folded[word]
    close = difflib.get_close_matches(word, list(by_folded), n=1, cutoff=0.7)
    return by_folded[close[0]] if close else None


def spelling_suggestion(session, query: SearchQuery, dialect: str) -> str | None:  # noqa: ANN001
    """The query with each unknown word replaced by the closest word the shop knows, or None
    when every word is known (or nothing close enough was found)."""
    closest = _closest_word_postgresql if dialect == "postgresql" else _closest_word_sqlite
    words = query.text.split()
    suggested = []
    for position, typed in enumerate(words):
        word = fold_text(typed) or ""
        if position >= _MOST_CORRECTED_WORDS or len(word) < _SHORTEST_CORRECTED_WORD \
                or not word.isalpha():
            suggested.append(typed)
            continue
        replacement = closest(session, word)
        suggested.append(replacement if replacement else typed)
    suggestion = " ".join(suggested)
    return suggestion if fold_text(suggestion) != fold_text(query.text) else None
