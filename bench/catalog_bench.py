"""Catalogue benchmark: our storefront pages against a bare-Flask ceiling page, on a big catalogue.

    .venv/bin/python bench/catalog_bench.py                      # 100,000 Products, 20 s a page
    .venv/bin/python bench/catalog_bench.py --products 5000 --duration 3    # a quick check

It creates its own PostgreSQL database on 127.0.0.1 (`bench_catalog`), builds the schema
(models + search triggers), fills it with bulk COPY (Vendors, Products with French names and
descriptions, about two Variants each, one picture each), fills the search vectors in one
UPDATE, analyses, then serves the app and the ceiling page (`bench/ceiling_app.py`) with
gunicorn (2 sync workers each, loopback only) and loads each page with wrk (16 connections).
It prints one table (page, requests/s, p50, p99) and the ratio of our listing to the ceiling's,
whose target is 0.5 or more. Every server it starts is stopped before it exits.
"""

import argparse
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import IO

import psycopg
from slugify import slugify
from sqlalchemy import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as a plain script from any directory

from marketplace import create_app  # noqa: E402
from marketplace.demo import data as demo  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.schema import install_database_extras  # noqa: E402

HOST = "127.0.0.1"
ADMIN_DSN = f"host={HOST} user=postgres dbname=postgres"
WORKERS = 2
TARGET_RATIO = 0.5
SEARCH_QUERIES = (
    "laine",
    "miel de châtaignier",
    "chaussettes laine",
    "fromage de chèvre",
    "pull marin",
    "ail rose lautrec",
    "confiture",
    "cuir graulhet",
)
#: Products the product-page runs rotate through (as many different pages as a real crowd).
PRODUCT_PAGES = 500

TOWNS = (
    "Castres", "Mazamet", "Albi", "Graulhet", "Lavaur", "Gaillac", "Carmaux", "Labruguière",
    "Lautrec", "Lacaune", "Brassac", "Sorèze", "Puylaurens", "Saïx", "Aussillon", "Vabre",
    "Roquecourbe", "Dourgne", "Cordes-sur-Ciel", "Réalmont", "Montredon-Labessonnié",
    "Lacrouzette", "Arfons", "Saint-Amans-Soult", "Lisle-sur-Tarn", "Rabastens", "Anglès",
    "Murat-sur-Vèbre", "Valence-d'Albigeois", "Vielmur-sur-Agout",
)  # fmt: skip
SURNAMES = (
    "Rouanet", "Garrigues", "Cabrol", "Escande", "Fabre", "Bousquet", "Carayon", "Azaïs",
    "Sicard", "Raynaud", "Vidal", "Cazalis", "Barthe", "Maffre", "Calvet", "Bonnafous",
    "Séguier", "Alquier", "Bru", "Granier", "Jougla", "Pech", "Marty", "Rives", "Salvan",
    "Tournier", "Vergnes", "Andrieu", "Belou", "Combes", "Durand", "Gleizes", "Laurens",
)  # fmt: skip
VENDOR_WORDS = {
    "textile_workshop": ("Atelier", "Tissage", "Mailles", "Filature", "Maroquinerie", "Bonneterie"),
    "producer": ("Ferme", "Chèvrerie", "Rucher", "Jardins", "Domaine", "Bergerie", "Vergers"),
    "food_maker": ("Fournil", "Conserverie", "Salaisons", "Biscuiterie", "Confiserie"),
}
QUALIFIERS = (
    "", "", "", "de Castres", "du Sidobre", "de la Montagne Noire", "artisanal", "bio",
    "d'hiver", "d'été", "édition limitée", "fermier", "de Lacaune", "du Lauragais", "tradition",
    "« Autan »", "grand format", "maison", "à l'ancienne", "du Tarn",
)  # fmt: skip
EXTRA_SENTENCES = (
    "Chaque pièce est contrôlée à la main avant de partir.",
    "Livré dans un emballage en carton recyclé, sans plastique.",
    "Disponible au magasin des Ateliers à Castres, ou en livraison par la tournée.",
    "Une production en petites séries, au rythme des saisons.",
    "Les matières viennent de moins de cinquante kilomètres.",
    "Idéal à offrir, avec un petit mot manuscrit sur demande.",
    "Se conserve longtemps dans un endroit frais et sec.",
    "Lavage à la main ou en machine à 30 °C, séchage à plat.",
    "Recette transmise depuis trois générations dans la famille.",
    "Fabriqué dans un atelier qui forme chaque année des apprentis.",
)


@dataclass(frozen=True)
class Page:
    label: str
    port_key: str  # "app" or "ceiling"
    paths: tuple[str, ...]
    expect: str  # a piece of HTML that proves the page shows what it should


@dataclass(frozen=True)
class Result:
    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is missing: install it with `apt-get install -y wrk` (Debian), then rerun.")
        return 2
    database_url = f"postgresql+psycopg://postgres@{HOST}:5432/{args.database}"
    if args.reuse and count_products(args.database) >= args.products:
        print(f"Reusing database {args.database}.")
    else:
        build_catalogue(args, database_url)
    with ExitStack() as stack:
        if not args.keep:
            stack.callback(drop_database, args.database)
        pages = benchmark_pages(args.database)
        app_port = stack.enter_context(serve_app(database_url, args.redis_url))
        ceiling_port = stack.enter_context(serve_ceiling(args.database))
        ports = {"app": app_port, "ceiling": ceiling_port}
        check_pages(pages, ports)
        results = measure_in_rounds(wrk, pages, ports, args)
    print_report(results, args)
    return 0


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--vendors", type=int, default=500)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per page")
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="windows each page's load is split into, the pages taking turns",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database", default="bench_catalog")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="the production configuration needs one (rate limits)",
    )
    parser.add_argument("--seed", type=int, default=81100, help="random seed of the catalogue")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse a kept database that is big enough (not after a change to the models)",
    )
    return parser.parse_args(argv)


# --- the catalogue ---------------------------------------------------------------------------


def build_catalogue(args: argparse.Namespace, database_url: str) -> None:
    started = time.perf_counter()
    recreate_database(args.database)
    app = create_app("development", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        db.create_all()
        tables = db.metadata.tables
        rng = random.Random(args.seed)
        now = datetime.now(UTC)
        categories = category_rows()
        vendors = vendor_rows(args.vendors, rng, now)
        products, variants, images = product_rows(args.products, vendors, categories, rng, now)
        generated = time.perf_counter()
        with psycopg.connect(f"host={HOST} user=postgres dbname={args.database}") as conn:
            for name, rows in (
                ("categories", categories),
                ("vendors", vendors),
                ("products", products),
                ("variants", variants),
                ("product_images", images),
            ):
                copy_rows(conn, tables[name], rows)
            conn.commit()
        loaded = time.perf_counter()
        print(
            f"Loaded {len(vendors)} Vendors, {len(products)} Products, {len(variants)} "
            f"Variants in {loaded - started:.1f} s ({generated - started:.1f} s to generate "
            f"the rows, {loaded - generated:.1f} s to COPY them)."
        )
        with db.engine.begin() as connection:
            install_database_extras(connection)  # its last UPDATEs fill every search vector
        db.engine.dispose()
    print(f"Search vectors filled in {time.perf_counter() - loaded:.1f} s.")
    with psycopg.connect(
        f"host={HOST} user=postgres dbname={args.database}", autocommit=True
    ) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"Catalogue ready in {time.perf_counter() - started:.1f} s.")


def category_rows() -> list[dict]:
    ids = {spec.slug: number for number, spec in enumerate(demo.CATEGORIES, start=1)}
    return [
        {
            "id": ids[spec.slug],
            "slug": spec.slug,
            "name": spec.name,
            "name_en": spec.name_en,
            "description": spec.description,
            "parent_id": ids[spec.parent] if spec.parent else None,
            "position": ids[spec.slug],
            "default_vat_rate_bps": demo.FAMILY_VAT_BPS[spec.parent or spec.slug],
        }
        for spec in demo.CATEGORIES
    ]


def vendor_rows(count: int, rng: random.Random, now: datetime) -> list[dict]:
    templates = {kind: [v for v in demo.VENDORS if v.kind == kind] for kind in VENDOR_WORDS}
    rows = []
    for number in range(1, count + 1):
        kind = rng.choices(tuple(VENDOR_WORDS), weights=(45, 30, 25))[0]
        template = rng.choice(templates[kind])
        town = rng.choice(TOWNS)
        name = f"{rng.choice(VENDOR_WORDS[kind])} {rng.choice(SURNAMES)}"
        created = now - timedelta(days=rng.uniform(30, 1500))
        rows.append(
            {
                "id": number,
                "slug": f"{slugify(name)}-{number}",
                "name": name,
                "kind": kind,
                "tagline": template.tagline,
                "story": template.story,
                "town": town,
                "status": rng.choices(("approved", "applied", "suspended"), weights=(96, 2, 2))[0],
                "featured": rng.random() < 0.02,
                "contact_email": f"contact@{slugify(name)}-{number}.fr",
                "commission_rate_bps": rng.choice((1000, 1100, 1200, 1300, 1500)),
                "siret": f"{rng.randrange(10**13, 10**14)}",
                "vat_number": f"FR{rng.randrange(10**10, 10**11)}",
                "vat_registered": True,
                "shipping_flat_cents": rng.choice((390, 490, 590, 690, 790)),
                "free_shipping_threshold_cents": rng.choice((3000, 4500, 6000, 9000)),
                "created_at": created,
                "updated_at": created,
            }
        )
    return rows


def product_rows(
    count: int, vendors: list[dict], categories: list[dict], rng: random.Random, now: datetime
) -> tuple[list[dict], list[dict], list[dict]]:
    """Products copied from the demo hub's specs, with a qualifier, Variants and a picture."""
    category_ids = {row["slug"]: row["id"] for row in categories}
    vat = {row["id"]: row["default_vat_rate_bps"] for row in categories}
    textile = [(v, p) for v in demo.VENDORS if v.kind == "textile_workshop" for p in v.products]
    food = [(v, p) for v in demo.VENDORS if v.kind != "textile_workshop" for p in v.products]
    products, variants, images = [], [], []
    for product_id in range(1, count + 1):
        vendor = rng.choice(vendors)
        template_vendor, spec = rng.choice(
            textile if vendor["kind"] == "textile_workshop" else food
        )
        name = " ".join(part for part in (spec.name, rng.choice(QUALIFIERS)) if part)
        published = now - timedelta(days=rng.uniform(0, 365))
        category_id = category_ids[spec.category]
        options = product_options(spec, rng)
        sold_out = rng.random() < 0.05
        prices = []
        for position, option in enumerate(options, start=1):
            price = max(100, int(round(option.pop("base_price") * rng.uniform(0.85, 1.2), -1)))
            prices.append(price)
            variants.append(
                {
                    "product_id": product_id,
                    "vendor_id": vendor["id"],
                    "sku": f"B{product_id}-{position}",
                    "price_cents": price,
                    "stock": 0 if sold_out else rng.randint(0, 40),
                    "low_stock_threshold": 3,
                    "active": True,
                    "position": position,
                    "created_at": published,
                    "updated_at": published,
                    **option,
                }
            )
        description = " ".join(
            part
            for part in (
                spec.summary,
                spec.details,
                template_vendor.making,
                *rng.sample(EXTRA_SENTENCES, 2),
            )
            if part
        )
        products.append(
            {
                "id": product_id,
                "vendor_id": vendor["id"],
                "category_id": category_id,
                "slug": f"{cached_slug(name)}-{product_id}",
                "name": name,
                "summary": spec.summary,
                "description": description,
                "status": rng.choices(("active", "draft", "archived"), weights=(96, 2, 2))[0],
                "vat_rate_bps": vat[category_id],
                "origin": f"{vendor['name']}, {vendor['town']}",
                "making_details": template_vendor.making,
                "made_at_hub": rng.random() < 0.1,
                "from_price_cents": min(prices),
                "published_at": published,
                "created_at": published,
                "updated_at": published,
            }
        )
        images.append(
            {
                "product_id": product_id,
                "path": f"products/{cached_slug(name)}-{product_id}-1.jpg",
                "alt": name,
                "width": 800,
                "height": 800,
                "position": 1,
            }
        )
    return products, variants, images


def product_options(spec: demo.ProductSpec, rng: random.Random) -> list[dict]:
    """Every unit of a food spec; two to four of a textile spec's sizes and colours."""
    if spec.units:
        return [
            {
                "unit": u.label,
                "size": "",
                "colour": "",
                "base_price": u.price_cents,
                "weight_grams": u.weight_grams,
            }
            for u in spec.units
        ]
    combinations = [(size, colour) for colour in spec.colours for size in spec.sizes or ("",)]
    chosen = rng.sample(combinations, min(len(combinations), rng.choice((2, 3, 3, 4))))
    return [
        {
            "unit": "",
            "size": size,
            "colour": colour,
            "base_price": spec.price_cents,
            "weight_grams": spec.weight_grams,
        }
        for size, colour in chosen
    ]


@cache
def cached_slug(name: str) -> str:
    return slugify(name)


def copy_rows(conn: psycopg.Connection, table: Table, rows: list[dict]) -> None:
    """COPY the rows, completing them with the model's scalar defaults (new columns too)."""
    given = list(rows[0])
    defaults = {}
    for column in table.columns:
        if column.name in given or column.primary_key:
            continue
        if column.default is not None and column.default.is_scalar:
            defaults[column.name] = column.default.arg
        elif not column.nullable and column.server_default is None:
            raise SystemExit(f"bench: {table.name}.{column.name} needs a value in catalog_bench.py")
    columns = given + list(defaults)
    tail = tuple(defaults.values())
    with conn.cursor().copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(row[name] for name in given) + tail)
    if "id" in given:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT max(id) FROM {table.name}))"
        )


def recreate_database(name: str) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def count_products(name: str) -> int:
    try:
        with psycopg.connect(f"host={HOST} user=postgres dbname={name}") as conn:
            return conn.execute("SELECT count(*) FROM products").fetchone()[0]
    except psycopg.Error:
        return 0


# --- the pages -------------------------------------------------------------------------------


def benchmark_pages(database: str) -> list[Page]:
    """The same leaf Categories and Products on both sides, so the ratio compares like with like."""
    with psycopg.connect(f"host={HOST} user=postgres dbname={database}") as conn:
        leaves = conn.execute(
            "SELECT id, slug FROM categories WHERE parent_id IS NOT NULL ORDER BY id"
        ).fetchall()
        products = conn.execute(
            "SELECT p.id, p.slug FROM products p JOIN vendors v ON v.id = p.vendor_id"
            " WHERE p.status = 'active' AND v.status = 'approved' ORDER BY random() LIMIT %s",
            (PRODUCT_PAGES,),
        ).fetchall()
    searches = tuple(f"/search?{urllib.parse.urlencode({'q': query})}" for query in SEARCH_QUERIES)
    return [
        Page("ceiling /hello", "ceiling", ("/hello",), "Hello"),
        Page("ceiling listing", "ceiling", tuple(f"/category/{i}" for i, _ in leaves), "Sold by"),
        Page(
            "our listing /categories/<slug>",
            "app",
            tuple(f"/categories/{slug}" for _, slug in leaves),
            'href="/products/',
        ),
        Page("ceiling product", "ceiling", tuple(f"/product/{i}" for i, _ in products), "UPC"),
        Page(
            "our product /products/<slug>",
            "app",
            tuple(f"/products/{slug}" for _, slug in products),
            "<h1",
        ),
        Page(f"our search ({len(searches)} queries)", "app", searches, 'href="/products/'),
        Page("our home /", "app", ("/",), 'href="/products/'),
    ]


def check_pages(pages: list[Page], ports: dict[str, int]) -> None:
    """Every page answers 200 with real content before any load is measured."""
    for page in pages:
        for path in page.paths[:3]:
            url = f"http://{HOST}:{ports[page.port_key]}{path}"
            with urllib.request.urlopen(url, timeout=30) as response:
                body = response.read().decode()
            if page.expect not in body:
                raise SystemExit(f"bench: {url} answered without {page.expect!r}")


def measure_in_rounds(
    wrk: str, pages: list[Page], ports: dict[str, int], args: argparse.Namespace
) -> list[Result]:
    """Each page's load, split into `args.rounds` windows taken in turn with the other pages'.

    A shared machine's speed drifts over a minute; pages measured one after the other would
    carry that drift into their ratios, pages taken in turn share it.
    """
    window = max(1, round(args.duration / args.rounds))
    windows: dict[str, list[Result]] = {page.label: [] for page in pages}
    for round_number in range(1, args.rounds + 1):
        print(f"round {round_number}/{args.rounds}", flush=True)
        for page in pages:
            result = run_wrk(wrk, page, ports[page.port_key], window, args.connections)
            windows[page.label].append(result)
    return [
        Result(
            label,
            statistics.fmean(result.requests_per_second for result in taken),
            statistics.median(result.p50_ms for result in taken),
            max(result.p99_ms for result in taken),
            sum(result.errors for result in taken),
        )
        for label, taken in windows.items()
    ]


def run_wrk(wrk: str, page: Page, port: int, duration: int, connections: int) -> Result:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(rotating_paths_script(page.paths))
    try:
        completed = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{duration}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://{HOST}:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    result = parse_wrk(page.label, completed.stdout)
    print(f"  {result.label:<34} {result.requests_per_second:8.1f} req/s", flush=True)
    return result


def rotating_paths_script(paths: Sequence[str]) -> str:
    """A wrk script sending each connection's requests through the paths in turn."""
    quoted = ",\n".join(f'  "{path}"' for path in paths)
    return (
        f"local paths = {{\n{quoted}\n}}\n"
        "local index = math.random(#paths)\n"
        "request = function()\n"
        "  index = index % #paths + 1\n"
        '  return wrk.format("GET", paths[index])\n'
        "end\n"
    )


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(label: str, output: str) -> Result:
    def latency(percentile: str) -> float:
        match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if match is None:
            raise SystemExit(f"bench: no {percentile}% latency in wrk output:\n{output}")
        return float(match.group(1)) * _UNITS_MS[match.group(2)]

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    bad_status = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(bad_status.group(1)) if bad_status else 0
    if socket_errors:
        errors += sum(int(value) for value in socket_errors.groups())
    return Result(label, float(rate.group(1)), latency("50"), latency("99"), errors)


def print_report(results: list[Result], args: argparse.Namespace) -> None:
    print()
    print(
        f"{args.products:,} Products, {args.vendors} Vendors; wrk {args.connections} connections, "
        f"{args.duration} s a page in {args.rounds} turns; gunicorn {WORKERS} sync workers each; "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'page':<36}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for result in results:
        print(
            f"{result.label:<36}{result.requests_per_second:>10.1f}{result.p50_ms:>10.1f}"
            f"{result.p99_ms:>10.1f}{result.errors:>8}"
        )
    by_label = {result.label: result for result in results}
    ours = next(r for r in results if r.label.startswith("our listing"))
    ratio = ours.requests_per_second / by_label["ceiling listing"].requests_per_second
    verdict = "reached" if ratio >= TARGET_RATIO else "NOT reached"
    print(f"\nlisting / ceiling listing = {ratio:.2f} (target >= {TARGET_RATIO}: {verdict})")
    product = next(r for r in results if r.label.startswith("our product"))
    print(
        f"product / ceiling product = "
        f"{product.requests_per_second / by_label['ceiling product'].requests_per_second:.2f}"
    )


# --- the servers -----------------------------------------------------------------------------


@contextmanager
def serve_app(database_url: str, redis_url: str) -> Iterator[int]:
    """The marketplace as in production (ProductionConfig), on a free loopback port."""
    instance = tempfile.mkdtemp(prefix="bench-instance-")
    env = {
        **os.environ,
        "MARKETPLACE_ENV": "production",
        "MARKETPLACE_INSTANCE": instance,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-not-secret",
        "REDIS_URL": redis_url,
        "TRUSTED_PROXY_COUNT": "0",  # wrk talks to gunicorn directly
        # Production refuses to start without Stripe keys; no page measured here pays.
        "STRIPE_SECRET_KEY": "sk_test_bench_not_used",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_bench_not_used",
        "STRIPE_WEBHOOK_SECRET": "whsec_bench_not_used",
    }
    try:
        with gunicorn("marketplace:create_app()", cwd=ROOT, env=env) as port:
            yield port
    finally:
        shutil.rmtree(instance, ignore_errors=True)


@contextmanager
def serve_ceiling(database: str) -> Iterator[int]:
    env = {**os.environ, "CEILING_DATABASE": database}
    with gunicorn("ceiling_app:app", cwd=ROOT / "bench", env=env) as port:
        yield port


@contextmanager
def gunicorn(app_spec: str, *, cwd: Path, env: dict[str, str]) -> Iterator[int]:
    port = free_port()
    log = tempfile.TemporaryFile("w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"{HOST}:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
            app_spec,
        ],
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_serving(port, process, log)
        yield port
    finally:
        stop(process)
        log.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_until_serving(port: int, process: subprocess.Popen, log: IO[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise SystemExit(f"bench: gunicorn exited:\n{log.read()[-3000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: nothing answered on port {port} within 60 s")


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn and its workers (their own process group), forcefully if they linger."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


if __name__ == "__main__":
    sys.exit(main())
